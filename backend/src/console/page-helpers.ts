import { ClubpassError } from '@clubpass/shared';
import type { Request, Response } from 'express';
import type { AuditActor } from '../domain/admin/record-audit.js';
import { decodeCursor, type Page, type PageRequest } from '../store/pagination.js';
import type { ConsoleSession } from './console-session.js';
import { url } from './format.js';

/** Rows per page of a console list. */
export const PAGE_SIZE = 25;

/** The signed-in admin of a console request (the auth middleware has run). */
export function sessionOf(res: Response): ConsoleSession {
  const session = res.locals.session as ConsoleSession | undefined;
  if (!session) throw new ClubpassError('unauthorized', 'not signed in');
  return session;
}

/** Who acts, for the audit log: the signed-in admin and the client address. */
export function actorOf(req: Request, res: Response): AuditActor {
  return { accountId: sessionOf(res).account.id, ip: req.ip ?? null };
}

/** A query parameter as a trimmed string ('' when absent or repeated). */
export function queryText(req: Request, name: string, max = 200): string {
  const value = req.query[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** A form field as a string ('' when absent); repeated fields give their first value. */
export function formText(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}

/** A form field that may repeat (checkboxes), as a list of strings. */
export function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The page a list request asks for: `?cursor=` as made by the store (a bad one is a 400 page). */
export function pageRequest(req: Request, limit = PAGE_SIZE): PageRequest {
  const cursor = queryText(req, 'cursor', 512);
  return { limit, after: cursor === '' ? null : decodeCursor(cursor) };
}

/** Links to the next and the first page of a list, keeping its filters. */
export function pager(
  path: string,
  filters: Record<string, string | undefined>,
  page: Page<unknown>,
  req: Request,
): { next: string | null; first: string | null } {
  return {
    next: page.nextCursor === null ? null : url(path, { ...filters, cursor: page.nextCursor }),
    first: queryText(req, 'cursor') === '' ? null : url(path, filters),
  };
}

/** A route parameter as a string. */
export function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}
