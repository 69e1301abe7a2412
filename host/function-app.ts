/**
 * Turns a function module into an HTTP app: reads a CloudEvent (binary or structured) or a plain body,
 * validates the input against the function's schema, runs the handler, and answers a binary-mode
 * CloudEvent (step.completed / step.failed) carrying runid, stepid and traceparent through.
 * The same app is served by the runtime's own server and called in-process by the gateway's shared mode.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createEvent, readRequest, toBinary, type Received } from '../events/cloud-event.js';
import { APPROVAL_EXTENSION, CARRIED_EXTENSIONS, EVENT, sourceOf } from '../events/event-types.js';
import type { RuntimeConfig } from '../kernel/config.js';
import { GanglionError, toPublicError } from '../kernel/errors.js';
import { formatIssues } from '../kernel/zod-issues.js';
import type { EventInfo, FnRequest, FnResponse, FunctionContext, FunctionModule } from '../function-kit/function-module.js';
import type { Logger } from '../kernel/logger.js';
import type { KubeAccess } from '../cluster/kube-access.js';
import { matchRoute } from './route-match.js';
import { ReplayCache } from './replay-cache.js';
import { approvalKey, spendApproval, verifyApproval } from './approval-token.js';
import { stateClient, type StateClient } from '../cluster-state/ganglion-objects.js';

export interface FunctionAppDeps {
  config: RuntimeConfig;
  log: Logger;
  kube: KubeAccess;
  now?: () => Date;
}

export type FunctionApp = (req: FnRequest) => Promise<FnResponse>;

function lowerHeaders(h: FnRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function wantsText(headers: Record<string, string>): boolean {
  const accept = headers.accept ?? '';
  return /^\s*text\/plain/i.test(accept);
}

function eventInfo(received: Received, fnName: string, headers: Record<string, string>): EventInfo {
  if (received.kind === 'event') {
    const e = received.event;
    return { id: e.id, source: e.source, type: e.type, ...(e.subject ? { subject: e.subject } : {}), extensions: e.extensions };
  }
  // A plain body becomes a synthetic step.requested; the gateway's call id makes retries recognisable.
  const extensions: Record<string, string> = {};
  if (headers.traceparent) extensions.traceparent = headers.traceparent;
  return { id: headers['x-call-id'] || randomUUID(), source: headers['x-connector'] ? `/openfaas/${headers['x-connector']}` : '/faas-cli', type: EVENT.stepRequested, extensions: { ...extensions }, synthetic: true };
}

export function createFunctionApp(mod: FunctionModule, deps: FunctionAppDeps): FunctionApp {
  const { meta, handle } = mod;
  const now = deps.now ?? (() => new Date());
  const replays = new ReplayCache(500);
  let state: StateClient | undefined;
  const spentBy = `${meta.name}@${deps.config.env.HOSTNAME || 'local'}`;
  let ready: Promise<void> | undefined;
  const init = () =>
    (ready ??= mod.init ? mod.init({ log: deps.log, config: deps.config, kube: deps.kube, now }) : Promise.resolve());

  function reply(status: number, info: EventInfo | undefined, type: string, data: unknown, subject: string | undefined, text: string | undefined): FnResponse {
    const extensions: Record<string, string | number | boolean | undefined> = {};
    for (const name of CARRIED_EXTENSIONS) extensions[name] = info?.extensions[name];
    const event = createEvent({ type, source: sourceOf(meta.name), data, ...(subject ? { subject } : {}), extensions });
    const { headers, body } = toBinary(event, text === undefined ? 'application/json' : 'text/plain; charset=utf-8');
    return { status, headers, body: text === undefined ? body : text + '\n' };
  }

  function failure(err: unknown, info: EventInfo | undefined, textWanted: boolean): FnResponse {
    const pub = toPublicError(err);
    if (pub.status >= 500 && !(err instanceof GanglionError)) deps.log.error({ err, fn: meta.name }, 'function failed');
    const data = { error: { code: pub.code, message: pub.message, ...(pub.details ? { details: pub.details } : {}) } };
    return reply(pub.status, info, EVENT.stepFailed, data, undefined, textWanted ? `error: ${pub.message}` : undefined);
  }

  /**
   * Changes to the cluster need the planner's approval for this exact step (its signature) and the Approval object
   * the planner recorded for it, spent here once — in the cluster, so a captured approved event sent to another
   * replica, or after a restart, is refused too. A dry run needs neither.
   */
  async function checkApproval(info: EventInfo, input: unknown): Promise<void> {
    const runId = String(info.extensions.runid ?? '');
    const stepId = String(info.extensions.stepid ?? '');
    const token = info.extensions[APPROVAL_EXTENSION];
    if (typeof token === 'string' && verifyApproval(approvalKey(deps.config), { runId, stepId, fn: meta.name, input }, token)) {
      state ??= stateClient(deps.kube, deps.config);
      return spendApproval(state, token, { runId, stepId, fn: meta.name, by: spentBy, now: now() });
    }
    throw new GanglionError(403, 'approval_required', `${meta.name} changes the cluster and runs only as an approved step of a planner run; ask the planner instead (ganglion "..." or faas-cli invoke planner), or send {"dryRun": true} to preview`);
  }

  async function runStep(req: FnRequest, headers: Record<string, string>): Promise<FnResponse> {
    // process.hrtime, not performance.now(): the global `performance` loads perf_hooks on first use (~1 ms of a cold start)
    const started = process.hrtime.bigint();
    const textWanted = wantsText(headers);
    let info: EventInfo | undefined;
    try {
      const received = readRequest(headers, req.body);
      info = eventInfo(received, meta.name, headers);
      const hops = info.extensions.hopsleft;
      if (hops !== undefined && Number(hops) <= 0) {
        throw new GanglionError(400, 'hop_budget_exhausted', `event ${info.id} has no hops left (hopsleft=${hops}); an event loop was stopped`);
      }
      const raw = received.kind === 'event' ? received.event.data : received.data;
      const candidate = typeof raw === 'string' && meta.textField ? { [meta.textField]: raw.trim() } : raw ?? {};
      const parsed = meta.input.safeParse(candidate);
      if (!parsed.success) {
        throw new GanglionError(400, 'invalid_input', `invalid input for ${meta.name}: ${formatIssues(parsed.error)}`);
      }
      if (meta.mutates && (parsed.data as { dryRun?: unknown }).dryRun !== true) await checkApproval(info, parsed.data);
      let signal: AbortSignal | undefined;
      const ctx: FunctionContext = {
        log: deps.log,
        config: deps.config,
        kube: deps.kube,
        now,
        // Built on first read, with the time already spent taken off: most handlers never look at it, and
        // AbortSignal.any/timeout are among the costliest parts of a small request on Node 20.
        get signal() {
          return (signal ??= stepSignal(deps.config.execTimeoutMs - Number(process.hrtime.bigint() - started) / 1e6, req.signal));
        },
        event: info,
        request: { method: req.method, path: req.path, query: req.query, headers },
      };
      await init();
      const result = await handle(parsed.data, ctx);
      if (result.reply) {
        return reply(result.reply.status ?? 200, info, result.reply.type, result.reply.data, result.subject, textWanted ? result.summary : undefined);
      }
      return reply(200, info, EVENT.stepCompleted, { summary: result.summary, data: result.data }, result.subject, textWanted ? result.summary : undefined);
    } catch (err) {
      return failure(err, info, textWanted);
    }
  }

  return async function functionApp(req: FnRequest): Promise<FnResponse> {
    const headers = lowerHeaders(req.headers);
    if (req.path === '/_/health' || req.path === '/_/ready') {
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' };
    }
    const route = mod.routes && matchRoute(mod.routes, req.method, req.path);
    if (route) {
      try {
        await init();
        const ctx: FunctionContext = {
          log: deps.log, config: deps.config, kube: deps.kube, now,
          signal: req.signal ?? new AbortController().signal,
          event: { id: headers['x-call-id'] || randomUUID(), source: '/http', type: 'http', extensions: {}, synthetic: true },
          request: { method: req.method, path: req.path, query: req.query, headers },
        };
        return await route.route.handle({ ...req, params: route.params }, ctx);
      } catch (err) {
        const pub = toPublicError(err);
        if (pub.status >= 500 && !(err instanceof GanglionError)) deps.log.error({ err, fn: meta.name }, 'route failed');
        return { status: pub.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: pub.code, message: pub.message } }) };
      }
    }
    // Retries re-send the same source+id (or, for a plain body, the same X-Call-Id): answer them from the cache instead of running the step twice.
    const key = replayKey(headers, req.body, req);
    if (!key) return runStep(req, headers);
    return replays.run(key, () => runStep(req, headers));
  };
}

/** The step's signal: aborts after `remainingMs` (the exec timeout left) or when the caller goes away. */
function stepSignal(remainingMs: number, caller: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(0, Math.ceil(remainingMs)));
  return caller ? AbortSignal.any([timeout, caller]) : timeout;
}

/**
 * A retry is the same event sent again: same source and id AND the same body and approval. Source and id alone are
 * the caller's to choose, so keying on them let a dry run sent first be returned as the answer to the approved apply.
 * A plain body redelivered by the async queue carries its X-Call-Id again; the request itself is part of that key
 * too, so a call id reused for other input runs it and never gets an old answer.
 */
function replayKey(headers: Record<string, string>, body: Buffer, req: FnRequest): string | undefined {
  const sent = sourceAndId(headers, body);
  if (sent) {
    const digest = createHash('sha256').update(body).update('\u0000').update(headers[`ce-${APPROVAL_EXTENSION}`] ?? '').digest('hex');
    return `${sent}\u0000${digest}`;
  }
  const callId = headers['x-call-id'];
  if (callId && !(headers['content-type'] ?? '').toLowerCase().startsWith('application/cloudevents')) {
    const digest = createHash('sha256').update(`${req.method} ${req.path}?${req.query.toString()}\n`).update(body).digest('base64url');
    return `call\u0000${callId}\u0000${digest}`;
  }
  return undefined;
}

function sourceAndId(headers: Record<string, string>, body: Buffer): string | undefined {
  if (headers['ce-id'] && headers['ce-source']) return `${headers['ce-source']}\u0000${headers['ce-id']}`;
  if ((headers['content-type'] ?? '').toLowerCase().startsWith('application/cloudevents+json')) {
    // structured mode: the approval travels in the body, which the digest covers
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { id?: unknown; source?: unknown };
      if (typeof parsed.id === 'string' && typeof parsed.source === 'string' && parsed.id && parsed.source) return `${parsed.source}\u0000${parsed.id}`;
    } catch {
      return undefined; // not JSON: readRequest will answer 400
    }
  }
  return undefined;
}
