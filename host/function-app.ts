/**
 * Turns a function module into an HTTP app: reads a CloudEvent (binary or structured) or a plain body,
 * validates the input against the function's schema, runs the handler, and answers a binary-mode
 * CloudEvent (step.completed / step.failed) carrying runid, stepid and traceparent through.
 * The same app is served by the runtime's own server and called in-process by the gateway's shared mode.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createEvent, readRequest, toBinary, type Received } from '../events/cloud-event.js';
import type { Principal } from '../access/api-tokens.js';
import { bearerPrincipal, CHALLENGE, createTokenReader, requireRole, routeTimeFresh, signedPrincipal, STEP_SIGNATURE_EXTENSION } from './caller-auth.js';

/** Who calls a summary without a credential, when the operator opened summaries to all (GANGLION_ANONYMOUS_SUMMARIES). */
const ANONYMOUS: Principal = { name: 'anonymous', role: 'viewer' };
import { stepKey } from './step-key.js';
import { APPROVAL_EXTENSION, CARRIED_EXTENSIONS, EVENT, sourceOf } from '../events/event-types.js';
import type { RuntimeConfig } from '../kernel/config.js';
import { GanglionError, toPublicError } from '../kernel/errors.js';
import { formatIssues } from '../kernel/zod-issues.js';
import type { EventInfo, FnRequest, FnResponse, FunctionContext, FunctionModule, FunctionRoute } from '../function-kit/function-module.js';
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

const optional = (v: string | number | boolean | undefined): string | undefined => (v === undefined ? undefined : String(v));

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
  const tokens = createTokenReader(deps.config.alerts.secretsDir, deps.log);
  const anonymousReads = deps.config.anonymousSummaries && meta.summary === true && meta.access === 'viewer' && !meta.mutates;
  const key = () => stepKey(deps.config);
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
    const out = reply(pub.status, info, EVENT.stepFailed, data, undefined, textWanted ? `error: ${pub.message}` : undefined);
    return pub.status === 401 ? { ...out, headers: { ...out.headers, ...CHALLENGE } } : out;
  }

  /**
   * The caller of a step: a bearer token, else (a CloudEvent only) a Ganglion caller's step signature over exactly
   * this event. Checked before the replay cache, so nobody is answered from it without the right role either.
   */
  function stepCaller(headers: Record<string, string>, received: Received): Principal | undefined {
    if (meta.access === 'public') return undefined;
    let principal = bearerPrincipal(tokens(), headers.authorization);
    if (!principal && received.kind === 'event') {
      const e = received.event;
      principal = signedPrincipal(key, { source: e.source, id: e.id, runId: optional(e.extensions.runid), stepId: optional(e.extensions.stepid), fn: meta.name, input: e.data ?? {} }, e.extensions[STEP_SIGNATURE_EXTENSION]);
    }
    // a summary the operator opened to all: a caller who sends no credential at all reads it as "anonymous"
    if (!principal && anonymousReads && headers.authorization === undefined) return ANONYMOUS;
    return requireRole(principal, meta.access, meta.name, headers.authorization !== undefined);
  }

  /** The caller of a route: a bearer token, else a Ganglion caller's signature over method and path (ce-* headers). */
  function routeCaller(headers: Record<string, string>, req: FnRequest, access: FunctionRoute['access']): Principal | undefined {
    if (access === 'public') return undefined;
    let principal = bearerPrincipal(tokens(), headers.authorization);
    const source = headers['ce-source'];
    const id = headers['ce-id'];
    const time = headers['ce-time'];
    // the signature covers its time: a call captured on the wire is good for ROUTE_SIGNATURE_TTL_MS, not for ever
    if (!principal && source && id && routeTimeFresh(time, now().getTime())) principal = signedPrincipal(key, { source, id, fn: meta.name, input: { method: req.method, path: req.path, time } }, headers[`ce-${STEP_SIGNATURE_EXTENSION}`]);
    return requireRole(principal, access, `${req.method} /function/${meta.name}${req.path}`, headers.authorization !== undefined);
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

  async function runStep(req: FnRequest, headers: Record<string, string>, received: Received, principal: Principal | undefined): Promise<FnResponse> {
    // process.hrtime, not performance.now(): the global `performance` loads perf_hooks on first use (~1 ms of a cold start)
    const started = process.hrtime.bigint();
    const textWanted = wantsText(headers);
    let info: EventInfo | undefined;
    try {
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
        ...(principal ? { principal } : {}),
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
        const principal = routeCaller(headers, req, route.route.access);
        await init();
        const ctx: FunctionContext = {
          log: deps.log, config: deps.config, kube: deps.kube, now,
          signal: req.signal ?? new AbortController().signal,
          event: { id: headers['x-call-id'] || randomUUID(), source: '/http', type: 'http', extensions: {}, synthetic: true },
          request: { method: req.method, path: req.path, query: req.query, headers },
          ...(principal ? { principal } : {}),
        };
        return await route.route.handle({ ...req, params: route.params }, ctx);
      } catch (err) {
        const pub = toPublicError(err);
        if (pub.status >= 500 && !(err instanceof GanglionError)) deps.log.error({ err, fn: meta.name }, 'route failed');
        return { status: pub.status, headers: { 'content-type': 'application/json', ...(pub.status === 401 ? CHALLENGE : {}) }, body: JSON.stringify({ error: { code: pub.code, message: pub.message, ...(pub.details ? { details: pub.details } : {}) } }) };
      }
    }
    let received: Received;
    let principal: Principal | undefined;
    try {
      received = readRequest(headers, req.body);
      principal = stepCaller(headers, received);
    } catch (err) {
      return failure(err, undefined, wantsText(headers));
    }
    // Retries re-send the same source+id (or, for a plain body, the same X-Call-Id): answer them from the cache instead of running the step twice.
    const cacheKey = replayKey(headers, req.body, req);
    if (!cacheKey) return runStep(req, headers, received, principal);
    return replays.run(cacheKey, () => runStep(req, headers, received, principal));
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
