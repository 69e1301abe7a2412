/** POST /async-function/NAME (202 + X-Call-Id, durable) and the /system/async/* views of the queue and dead letters. */
import { randomUUID } from 'node:crypto';
import type { FnResponse } from '../function-kit/function-module.js';
import { GanglionError } from '../kernel/errors.js';
import type { AsyncQueue } from './async-queue.js';
import { checkCallbackTarget } from './callback-policy.js';
import { flattenHeaders } from './forwarded-headers.js';
import type { InvocationRequest } from './function-invoker.js';
import { NAMESPACE, splitFunctionName, type DeployedFunction } from './function-table.js';
import { emptyReply, jsonReply, parseJsonBody, textReply } from './reply.js';
import type { SystemRequest } from './system-routes.js';

export interface AsyncRoutesDeps {
  queue: AsyncQueue;
  table: Map<string, DeployedFunction>;
  callbackAllow: string[];
  servedBy: string;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function createAsyncRoutes({ queue, table, callbackAllow, servedBy }: AsyncRoutesDeps) {
  async function submit(req: InvocationRequest): Promise<FnResponse> {
    const { name, namespace } = splitFunctionName(req.rawName);
    // Unlike OpenFaaS CE (which queues anything), an unknown function is refused now rather than failing later.
    if (namespace !== NAMESPACE || !table.has(name)) return textReply(404, `error finding function ${name}.${namespace}: not found in namespace ${NAMESPACE}`);
    const callbackUrl = one(req.headers['x-callback-url']);
    if (callbackUrl !== undefined) {
      const verdict = await checkCallbackTarget(callbackUrl, callbackAllow);
      if (!verdict.ok) return textReply(400, verdict.reason);
    }
    const id = one(req.headers['x-call-id']) || randomUUID();
    const startTime = `${BigInt(Date.now()) * 1_000_000n}`;
    const headers = flattenHeaders(req.headers as Record<string, string | string[] | undefined>);
    delete headers['content-length'];
    try {
      await queue.enqueue({
        id, fn: req.rawName, path: req.path, query: req.query, headers, body: req.body.toString('base64'),
        ...(callbackUrl ? { callbackUrl } : {}), enqueuedAt: new Date().toISOString(), attempts: 0,
      });
    } catch (err) {
      if (err instanceof GanglionError && err.status === 429) {
        // Refused before anything was written: the caller keeps the call and sends it again later.
        return textReply(429, err.message, { 'retry-after': String(err.details?.retryAfterSeconds ?? 5) });
      }
      return textReply(500, `Error queuing request: ${(err as Error).message}`);
    }
    return emptyReply(202, { 'x-call-id': id, 'x-start-time': startTime, 'x-served-by': servedBy });
  }

  async function system(req: SystemRequest): Promise<FnResponse | undefined> {
    if (!req.path.startsWith('/async/')) return undefined;
    if (req.path === '/async/queue' && req.method === 'GET') return jsonReply(200, queue.stats());
    if (req.path === '/async/dead-letters' && req.method === 'GET') {
      return jsonReply(200, queue.deadLetters().map((d) => ({
        callId: d.id, function: d.fn, path: d.path, attempts: d.attempts, lastError: d.lastError, reason: d.reason,
        enqueuedAt: d.enqueuedAt, deadAt: d.deadAt, ...(d.callbackUrl ? { callbackUrl: d.callbackUrl } : {}),
      })));
    }
    const single = /^\/async\/dead-letters\/([^/]+)\/replay$/.exec(req.path);
    if (single && req.method === 'POST') {
      const id = decodeURIComponent(single[1] as string);
      return (await queue.replay(id)) ? jsonReply(202, { replayed: [id] }) : textReply(404, `no dead letter with call id ${id}`);
    }
    if (req.path === '/async/dead-letters/replay' && req.method === 'POST') {
      const json = req.body.length ? parseJsonBody(req.body) : { ok: true as const, value: {} };
      if (!json.ok) return json.reply;
      const wanted = (json.value as { callIds?: unknown }).callIds;
      const ids = Array.isArray(wanted) ? wanted.map(String) : queue.deadLetters().map((d) => d.id);
      const replayed: string[] = [];
      for (const id of ids) if (await queue.replay(id)) replayed.push(id);
      return jsonReply(202, { replayed });
    }
    return textReply(404, `no such system endpoint: ${req.method} /system${req.path}`);
  }

  return { submit, system };
}
