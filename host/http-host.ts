/** Serves an app of FnRequest → FnResponse over node:http: body limit (413), abort on disconnect, streamed bodies. */
import http from 'node:http';
import type { FnRequest, FnResponse } from '../function-kit/function-module.js';
import { GanglionError } from '../kernel/errors.js';
import type { BrowserGuard } from './browser-guard.js';

export type App = (req: FnRequest) => Promise<FnResponse>;

/** Reads a request body up to `limit` bytes; past it, throws a 413 GanglionError. */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new GanglionError(413, 'body_too_large', `request body of ${declared} bytes is over the limit of ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new GanglionError(413, 'body_too_large', `request body is over the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes an FnResponse, streaming async-iterable bodies chunk by chunk. */
export async function writeResponse(res: http.ServerResponse, out: FnResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
  // Copied key by key: a spread of header objects built with computed keys is many times slower on Node 20.
  const headers: Record<string, string> = {};
  for (const key in out.headers) headers[key] = out.headers[key] as string;
  for (const key in extraHeaders) headers[key] = extraHeaders[key] as string;
  if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) {
    headers['content-length'] = String(Buffer.byteLength(out.body));
    res.writeHead(out.status, headers);
    res.end(out.body);
    return;
  }
  res.writeHead(out.status, headers);
  res.flushHeaders();
  try {
    for await (const chunk of out.body) {
      if (res.destroyed) break;
      res.write(chunk);
    }
  } finally {
    res.end();
  }
}

export function toFnRequest(req: http.IncomingMessage, body: Buffer, signal: AbortSignal, pathPrefix = ''): FnRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.slice(pathPrefix.length) || '/';
  return { method: req.method ?? 'GET', path: path.startsWith('/') ? path : `/${path}`, query: url.searchParams, headers: req.headers, body, signal };
}

/** Answers a request refused before its body was read (text, with the error's code) and closes the connection. */
export function refuseEarly(req: http.IncomingMessage, res: http.ServerResponse, err: GanglionError): void {
  req.resume();
  const body = `${err.message} (${err.code})\n`;
  res.writeHead(err.status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'x-ganglion-error': err.code, connection: 'close' });
  res.end(body);
}

/** An http.Server that runs `app` for every request; `browserGuard` refuses rebinding Hosts and cross-site changes first. */
export function createAppServer(app: App, { maxBodyBytes, browserGuard }: { maxBodyBytes: number; browserGuard?: BrowserGuard }): http.Server {
  const server = http.createServer(async (req, res) => {
    const refused = browserGuard?.(req.method ?? 'GET', req.headers);
    if (refused) return refuseEarly(req, res, refused);
    const started = process.hrtime.bigint();
    const controller = new AbortController();
    res.on('close', () => { if (!res.writableFinished) controller.abort(); });
    try {
      const body = await readBody(req, maxBodyBytes);
      const out = await app(toFnRequest(req, body, controller.signal));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await writeResponse(res, out, { 'x-duration-seconds': seconds.toFixed(6) });
    } catch (err) {
      const status = err instanceof GanglionError ? err.status : 500;
      const message = err instanceof GanglionError ? err.message : 'internal error';
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(message + '\n');
    }
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
