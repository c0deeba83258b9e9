import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  /** The origin, e.g. http://127.0.0.1:41234. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host}:${bound}`,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

export interface StaticFile {
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/** Serves fixed files by path (404 for anything else) on `host`:`port` (0 = any free port). */
export function serveFiles(files: Record<string, StaticFile>, host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', ...file.headers }).end(file.body);
  });
  return listen(server, host, port);
}

/**
 * A look-alike of `target` on another origin: a reverse proxy that serves the target's pages and
 * forwards its API calls, rewriting Host and Origin so the target cannot tell (a phishing copy
 * of a partner shop, byte for byte).
 */
export function serveMirror(target: string, host: string, port = 0): Promise<RunningServer> {
  const targetUrl = new URL(target);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers as IncomingHttpHeaders)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    if (headers.origin) headers.origin = targetUrl.origin;
    if (headers.referer) headers.referer = targetUrl.origin + new URL(headers.referer).pathname;
    try {
      const answer = await fetch(new URL(req.url ?? '/', targetUrl), {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
      });
      const out: Record<string, string | string[]> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(name)) {
          out[name] = value;
        }
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length > 0) out['set-cookie'] = cookies;
      res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  return listen(server, host, port);
}
