/**
 * Delivers queued async invocations: bounded concurrency, the original request with its stable X-Call-Id
 * (the function's idempotency key), retries with backoff on 408/429/5xx and timeouts, then the callback POST
 * with X-Function-Status / -Name / X-Call-Id / X-Duration-Seconds; what keeps failing goes to the dead letters.
 */
import http from 'node:http';
import https from 'node:https';
import type { FnResponse } from '../function-kit/function-module.js';
import type { Logger } from '../kernel/logger.js';
import type { AsyncCall, AsyncQueue } from './async-queue.js';
import { checkCallbackUrl, guardedLookup } from './callback-policy.js';
import { endToEndHeaders } from './forwarded-headers.js';
import type { FunctionInvoker } from './function-invoker.js';
import { splitFunctionName } from './function-table.js';

export const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export interface AsyncWorkerOptions {
  queue: AsyncQueue;
  invoke: FunctionInvoker;
  log: Logger;
  concurrency: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt (with jitter) up to maxRetryMs. */
  retryMs: number;
  maxRetryMs?: number;
  callbackAllow: string[];
  callbackTries?: number;
  /** One callback attempt, connect to last byte. */
  callbackTimeoutMs?: number;
  /** All attempts of one callback together (DNS, connects, waits between tries). */
  callbackDeadlineMs?: number;
  userAgent: string;
}

async function collect(body: FnResponse['body']): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts);
}

export function startAsyncWorker(opts: AsyncWorkerOptions): { stop(): Promise<void> } {
  const { queue, invoke, log, concurrency, maxAttempts, retryMs, maxRetryMs = 60_000, callbackAllow, callbackTries = 3, callbackTimeoutMs = 10_000, callbackDeadlineMs = 30_000 } = opts;
  let running = 0;
  let stopped = false;
  const active = new Set<Promise<void>>();

  function postCallback(call: AsyncCall, status: number, headers: Record<string, string>, body: Buffer, seconds: number, timeoutMs: number): Promise<number> {
    const url = new URL(call.callbackUrl as string);
    const out: Record<string, string | string[]> = {
      ...endToEndHeaders(headers),
      'x-function-status': String(status),
      'x-function-name': splitFunctionName(call.fn).name,
      'x-call-id': call.id,
      'x-duration-seconds': seconds.toFixed(6),
      'user-agent': opts.userAgent,
      'content-length': String(body.length),
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      // The whole exchange, not only idle time, is bounded: a receiver trickling bytes cannot hold a worker.
      const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
      const req = client.request(url, { method: 'POST', headers: out, lookup: guardedLookup(callbackAllow) }, (res) => {
        res.resume();
        res.on('end', () => { clearTimeout(timer); resolve(res.statusCode ?? 0); });
      });
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end(body);
    });
  }

  async function callback(call: AsyncCall, status: number, headers: Record<string, string>, body: Buffer, seconds: number): Promise<void> {
    if (!call.callbackUrl) return;
    // Re-checked at send time: the policy may have changed since the call was queued.
    const policy = checkCallbackUrl(call.callbackUrl, callbackAllow);
    if (!policy.ok) return void log.warn({ callId: call.id }, policy.reason);
    const deadline = Date.now() + callbackDeadlineMs;
    for (let attempt = 1; attempt <= callbackTries; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) return void log.warn({ callId: call.id, attempt }, `callback gave up: ${callbackDeadlineMs} ms passed`);
      try {
        const code = await postCallback(call, status, headers, body, seconds, Math.min(callbackTimeoutMs, left));
        if (code < 500) return;
        log.warn({ callId: call.id, code, attempt }, 'callback answered with a server error');
      } catch (err) {
        log.warn({ callId: call.id, attempt, err: (err as Error).message }, 'callback failed');
        if ((err as NodeJS.ErrnoException).code === 'ECALLBACKREFUSED') return;
      }
      if (attempt < callbackTries) await new Promise((r) => setTimeout(r, 500 * attempt).unref());
    }
  }

  async function deliver(call: AsyncCall): Promise<void> {
    const started = process.hrtime.bigint();
    let res: FnResponse;
    let body: Buffer;
    try {
      res = await invoke({ rawName: call.fn, method: 'POST', path: call.path, query: call.query, headers: { ...call.headers, 'x-call-id': call.id }, body: Buffer.from(call.body, 'base64') });
      body = await collect(res.body);
    } catch (err) {
      res = { status: 502, headers: { 'content-type': 'text/plain' }, body: '' };
      body = Buffer.from(`async delivery failed: ${(err as Error).message}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (RETRY_STATUSES.has(res.status)) {
      const attempts = await queue.recordFailure(call.id, `HTTP ${res.status}: ${body.toString('utf8').slice(0, 200).trim()}`);
      if (attempts < maxAttempts && !stopped) {
        const base = Math.min(maxRetryMs, retryMs * 2 ** (attempts - 1));
        queue.retryAfter(call.id, base / 2 + Math.random() * (base / 2));
        return;
      }
      if (attempts >= maxAttempts) {
        await callback(call, res.status, res.headers, body, seconds);
        await queue.bury(call.id, `gave up after ${attempts} attempts; last answer HTTP ${res.status}`);
      } else queue.retryAfter(call.id, 0);
      return;
    }
    await callback(call, res.status, res.headers, body, seconds);
    // The worker moves on without waiting for this record's fdatasync: were it lost in a crash, the call
    // would be delivered again with the same X-Call-Id, which the function treats as a repeat.
    queue.complete(call.id).catch((err: unknown) => log.error({ err, callId: call.id }, 'could not record a completed async call'));
  }

  function pump(): void {
    while (!stopped && running < concurrency) {
      const call = queue.next();
      if (!call) return;
      running += 1;
      const job = deliver(call)
        .catch((err: unknown) => log.error({ err, callId: call.id }, 'async delivery crashed'))
        .finally(() => { running -= 1; active.delete(job); pump(); });
      active.add(job);
    }
  }

  queue.onReady(pump);
  pump();
  return {
    async stop() {
      stopped = true;
      await Promise.all([...active]);
    },
  };
}
