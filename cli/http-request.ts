/** A small HTTP client over node:http for the CLI: no client-side deadline (long runs outlive faas-cli's 60 s), cheap to load. */
import http from 'node:http';
import { GanglionError } from '../kernel/errors.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpCall {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens a request and resolves with the response head; the caller reads (or streams) the body. */
export async function openRequest({ method, url, headers = {}, body, signal }: HttpCall): Promise<http.IncomingMessage> {
  const target = new URL(url);
  // node:https (TLS) costs tens of milliseconds to load; only an https gateway pays for it.
  const lib = target.protocol === 'https:' ? (await import('node:https')).default : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(target, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, ...(signal ? { signal } : {}) });
    req.on('response', resolve);
    req.on('error', (err) => reject(reachError(err, target)));
    // No deadline on the answer (the planner may hold a call for ~50 s), but one on reaching the gateway at all.
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('connect timed out'), { code: `no connection within ${CONNECT_TIMEOUT_MS / 1000} s` })), CONNECT_TIMEOUT_MS);
      timer.unref();
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function request(call: HttpCall): Promise<HttpAnswer> {
  const res = await openRequest(call);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
}

/** Network failures become errors that say what to do, not a stack trace. */
function reachError(err: Error & { code?: string }, target: URL): Error {
  if (err.name === 'AbortError') return err;
  const gateway = target.origin;
  const code = err.code ?? err.message;
  if (code.startsWith('no connection within') || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN') {
    return new GanglionError(503, 'gateway_unreachable', `cannot reach the gateway at ${gateway} (${code}); start it with npm start (or ./quickstart.sh) or set OPENFAAS_URL / --gateway`, { cause: err });
  }
  return new GanglionError(502, 'gateway_error', `request to ${gateway} failed (${code}); check the gateway URL (--gateway or OPENFAAS_URL)`, { cause: err });
}
