/**
 * One synchronous invocation as the OpenFaaS gateway performs it: resolve NAME[.openfaas-fn], forward
 * end-to-end headers with X-Call-Id / X-Start-Time / X-Forwarded-*, bound it by the function's exec_timeout,
 * and answer with X-Served-By and X-Duration-Seconds. Used by /function/*, the async worker and cron.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { GanglionError } from '../kernel/errors.js';
import type { FnResponse } from '../function-kit/function-module.js';
import type { FunctionBackend } from './function-backend.js';
import { NAMESPACE, splitFunctionName, type DeployedFunction } from './function-table.js';
import { endToEndHeaders } from './forwarded-headers.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { textReply } from './reply.js';
import { DEFAULT_START_WAIT_MS, waitForStart } from './start-wait.js';

export interface InvocationRequest {
  /** `NAME` or `NAME.NAMESPACE` as it appeared in the URL. */
  rawName: string;
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  body: Buffer;
  remoteAddress?: string;
  /** Aborted when the caller goes away. */
  signal?: AbortSignal;
  /**
   * The controller behind `signal`, when the caller owns one for this call alone: the invoker then aborts it at
   * exec_timeout itself instead of making a second controller and listening on the first.
   */
  controller?: AbortController;
}

export type FunctionInvoker = (req: InvocationRequest) => Promise<FnResponse>;

export interface InvokerDeps {
  table: Map<string, DeployedFunction>;
  backend: FunctionBackend;
  metrics: GatewayMetrics;
  servedBy: string;
  /** How long a call waits for its function to finish starting (default 30 s); then 503 with Retry-After. */
  startWaitMs?: number;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function createFunctionInvoker({ table, backend, metrics, servedBy, startWaitMs = DEFAULT_START_WAIT_MS }: InvokerDeps): FunctionInvoker {
  return async function invoke(req) {
    const { name, namespace } = splitFunctionName(req.rawName);
    const fqName = `${name}.${namespace}`;
    const fn = namespace === NAMESPACE ? table.get(name) : undefined;
    if (!fn) {
      const known = [...table.keys()].sort().join(', ') || 'none';
      return textReply(404, `error finding function ${fqName}: not found in namespace ${NAMESPACE}; deployed: ${known}`);
    }
    const callId = one(req.headers['x-call-id']) || randomUUID();
    // Unix nanoseconds at millisecond precision: the milliseconds followed by six zeros (no BigInt per call).
    const startTime = `${Date.now()}000000`;
    const headers = endToEndHeaders(req.headers);
    headers['x-call-id'] = callId;
    headers['x-start-time'] = startTime;
    if (!headers['x-forwarded-for'] && req.remoteAddress) headers['x-forwarded-for'] = req.remoteAddress;
    if (!headers['x-forwarded-host'] && req.headers.host) headers['x-forwarded-host'] = String(one(req.headers.host));

    // One controller and one timer per call: AbortSignal.any/timeout cost more per request on Node 20.
    const owned = req.controller !== undefined && req.controller.signal === req.signal;
    const controller = owned ? (req.controller as AbortController) : new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(new DOMException(`exec_timeout of ${name} passed`, 'TimeoutError')); }, fn.execTimeoutMs);
    const callerSignal = owned ? undefined : req.signal;
    const onCallerGone = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerGone, { once: true });
    const started = performance.now();
    let out: FnResponse;
    try {
      // A function still starting (gateway start-up, redeploy, restart) is waited for, not reported as not running.
      const held = backend.available(name) > 0 ? undefined : await waitForStart(backend, name, startWaitMs, controller.signal);
      out = held ?? (await backend.invoke(name, { method: req.method, path: req.path, query: req.query, headers, body: req.body }, controller.signal));
    } catch (err) {
      if (timedOut) {
        out = textReply(504, `function ${name} ran past its exec_timeout of ${fn.execTimeoutMs / 1000}s and was stopped; raise environment.exec_timeout in stack.yml if it needs longer`, { 'x-openfaas-internal': 'gateway' });
      } else if (req.signal?.aborted) {
        out = textReply(499, 'the caller went away before the function answered');
      } else if (err instanceof GanglionError) {
        out = textReply(err.status, err.message, { 'x-openfaas-internal': 'gateway' });
      } else {
        out = textReply(502, `function ${name} failed at the gateway: ${(err as Error).message}`, { 'x-openfaas-internal': 'gateway' });
      }
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerGone);
    }
    const seconds = (performance.now() - started) / 1000;
    // Copied key by key: spreading a header object built with computed keys (ce-*) and then adding to the
    // copy measured ~20× slower on Node 20 (the copy falls into dictionary mode).
    const resHeaders: Record<string, string> = {};
    for (const key in out.headers) resHeaders[key] = out.headers[key] as string;
    if (!resHeaders['content-type']) resHeaders['content-type'] = String(one(req.headers['content-type']) || 'text/plain');
    resHeaders['x-call-id'] = callId;
    resHeaders['x-start-time'] = startTime;
    resHeaders['x-served-by'] = servedBy;
    if (!resHeaders['x-duration-seconds']) resHeaders['x-duration-seconds'] = seconds.toFixed(6);
    metrics.observe(fqName, out.status, seconds);
    return { status: out.status, headers: resHeaders, body: out.body };
  };
}
