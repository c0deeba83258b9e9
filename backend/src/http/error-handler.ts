import { ClubpassError } from '@clubpass/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { sendProblem } from './problem.js';

/** Unknown routes: 404 `not_found` as a problem document. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, new ClubpassError('not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * Maps every error to a problem document. Body-parser failures are bad input (400 / 413), never
 * a 500; anything unexpected is logged (without the request body) and answered as 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (error instanceof ClubpassError) {
      sendProblem(res, error);
      return;
    }
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      sendProblem(res, new ClubpassError('too_large', 'the request body is over 64 KiB'));
      return;
    }
    if (e.type === 'entity.parse.failed' || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      sendProblem(res, new ClubpassError('invalid_request', 'the request body is not valid JSON'));
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendProblem(res, new ClubpassError('invalid_request', 'the request could not be read'));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    sendProblem(res, new ClubpassError('internal_error', 'something went wrong on our side; try again later'));
  };
}
