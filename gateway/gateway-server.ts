/** The gateway's HTTP surface: routes /function, /async-function, /system (basic auth), /healthz, /metrics. */
import http from 'node:http';
import { GanglionError } from '../kernel/errors.js';
import type { FnResponse } from '../function-kit/function-module.js';
import type { BrowserGuard } from '../host/browser-guard.js';
import { readBody, refuseEarly, writeResponse } from '../host/http-host.js';
import { checkBasicAuth } from './basic-auth.js';
import type { FunctionInvoker, InvocationRequest } from './function-invoker.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { emptyReply, textReply } from './reply.js';
import type { SystemRequest } from './system-routes.js';

export type SystemHandler = (req: SystemRequest) => Promise<FnResponse | undefined>;
export type AsyncHandler = (req: InvocationRequest) => Promise<FnResponse>;

export interface GatewayServerDeps {
  invoke: FunctionInvoker;
  /** Tried in order; the first answer wins (the core API, then async and schedule administration). */
  system: SystemHandler[];
  asyncInvoke?: AsyncHandler;
  metrics: GatewayMetrics;
  /** What /healthz answers (default 200 OK): the gateway says 503 until every function's first start has settled. */
  health?: () => FnResponse;
  password: string;
  maxBodyBytes: number;
  /** Host, Origin and Sec-Fetch-Site rules (DNS rebinding, CSRF), checked before the body is read. */
  browserGuard: BrowserGuard;
  /** Slow clients and floods: request headers and the whole request must arrive in time; open connections are capped. */
  limits: { headersTimeoutMs: number; requestTimeoutMs: number; maxConnections: number };
}

const FUNCTION_PATH = /^\/(function|async-function)\/([-a-zA-Z_0-9.]+)(\/.*)?$/;
/** Targets WHATWG URL parsing would leave unchanged: no dot segments, escapes, fragments or characters it encodes. */
const PLAIN_TARGET = /^\/[-a-zA-Z0-9_.~/]*(?:\?[-a-zA-Z0-9_.~/?=&%+,:;@!$*()]*)?$/;

/** Path and query of a request target; `new URL` only when the target is not plain (it costs more than the rest). */
function splitTarget(target: string): { pathname: string; search: string } {
  if (PLAIN_TARGET.test(target) && !target.includes('/.')) {
    const q = target.indexOf('?');
    return q < 0 ? { pathname: target, search: '' } : { pathname: target.slice(0, q), search: q === target.length - 1 ? '' : target.slice(q) };
  }
  const url = new URL(target, 'http://gateway');
  return { pathname: url.pathname, search: url.search };
}

export function createGatewayServer(deps: GatewayServerDeps): http.Server {
  // Not async: a function call returns the invoker's own promise, without another promise and ticks around it.
  function route(req: http.IncomingMessage, url: { pathname: string; search: string }, body: Buffer, controller: AbortController): FnResponse | Promise<FnResponse> {
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz') return method === 'GET' || method === 'HEAD' ? (deps.health?.() ?? textReply(200, 'OK')) : textReply(405, 'use GET or HEAD');
    if (url.pathname === '/metrics' && method === 'GET') {
      return deps.metrics.registry.metrics().then((text) => ({ status: 200, headers: { 'content-type': deps.metrics.registry.contentType }, body: text }));
    }
    const fnMatch = FUNCTION_PATH.exec(url.pathname);
    if (fnMatch) {
      const invocation: InvocationRequest = {
        rawName: fnMatch[2] as string, method, path: fnMatch[3] || '/', query: url.search.slice(1),
        headers: req.headers, body, signal: controller.signal, controller,
      };
      const remoteAddress = req.socket.remoteAddress;
      if (remoteAddress) invocation.remoteAddress = remoteAddress;
      if (fnMatch[1] === 'function') return deps.invoke(invocation);
      if (method !== 'POST') return textReply(405, `${method} is not allowed on /async-function; use POST`, { allow: 'POST' });
      return deps.asyncInvoke ? deps.asyncInvoke(invocation) : textReply(404, 'async invocations are not enabled on this gateway');
    }
    if (url.pathname.startsWith('/system/')) {
      // Function routes stay open (faas-cli sends "Authorization: Bearer " there); only /system/* is guarded.
      if (!checkBasicAuth(req.headers.authorization, deps.password)) {
        return textReply(401, 'invalid credentials', { 'www-authenticate': 'Basic realm="Restricted"' });
      }
      return systemRoute({ method, path: url.pathname.slice('/system'.length), query: new URLSearchParams(url.search), body }, url.pathname);
    }
    if (url.pathname === '/' && method === 'GET') return emptyReply(307, { location: '/healthz' });
    return textReply(404, `no route for ${method} ${url.pathname}; functions are at /function/<name>`);
  }

  async function systemRoute(sysReq: SystemRequest, pathname: string): Promise<FnResponse> {
    for (const handler of deps.system) {
      const out = await handler(sysReq);
      if (out) return out;
    }
    return textReply(404, `no such system endpoint: ${sysReq.method} ${pathname}`);
  }

  // Slow clients are checked this often (Node's default, 30 s, would let a short headers timeout run long).
  const connectionsCheckingInterval = Math.max(250, Math.min(30_000, Math.floor(deps.limits.headersTimeoutMs / 4)));
  const server = http.createServer({ connectionsCheckingInterval }, async (req, res) => {
    const controller = new AbortController();
    res.on('close', () => { if (!res.writableFinished) controller.abort(); });
    const refused = deps.browserGuard(req.method ?? 'GET', req.headers);
    if (refused) return refuseEarly(req, res, refused);
    let out: FnResponse;
    try {
      const url = splitTarget(req.url ?? '/');
      const body = await readBody(req, deps.maxBodyBytes);
      out = await route(req, url, body, controller);
    } catch (err) {
      const status = err instanceof GanglionError ? err.status : 500;
      out = textReply(status, err instanceof GanglionError ? err.message : 'internal gateway error', status === 413 ? { connection: 'close' } : {});
      if (!(err instanceof GanglionError)) process.stderr.write(`gateway: ${(err as Error).stack ?? String(err)}\n`);
    }
    try {
      if (req.method === 'HEAD') out = { ...out, body: '' };
      await writeResponse(res, out);
    } catch (err) {
      res.destroy(err as Error);
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = deps.limits.headersTimeoutMs;
  server.requestTimeout = Math.max(deps.limits.requestTimeoutMs, deps.limits.headersTimeoutMs);
  server.maxConnections = deps.limits.maxConnections;
  return server;
}
