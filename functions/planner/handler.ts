/**
 * The planner function: a command in, a run out. POST runs a command; /runs/* reads, approves, rejects and
 * streams runs; /audit reads the audit log; /openapi.json describes it all. The engine behind it is built once per
 * GANGLION_HOME.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { AUDIT_PAGE, readAudit } from '../../audit/audit-log.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { createEvent, toBinary } from '../../events/cloud-event.js';
import { EVENT } from '../../events/event-types.js';
import { invokeFunction } from '../../events/invoke-function.js';
import { approvalKey } from '../../host/approval-token.js';
import { stepKey } from '../../host/step-key.js';
import { roleAtLeast, type Principal } from '../../access/api-tokens.js';
import { loadCatalog } from '../../host/catalog.js';
import type { RuntimeConfig } from '../../kernel/config.js';
import { gatewayCredentials } from '../../kernel/secrets.js';
import { badRequest, GanglionError } from '../../kernel/errors.js';
import type { FnRequest, FnResponse, FunctionContext, FunctionMeta, FunctionRoute, StepResult } from '../../function-kit/function-module.js';
import type { KubeAccess } from '../../cluster/kube-access.js';
import type { Logger } from '../../kernel/logger.js';
import { loadStack } from '../../stack/stack-file.js';
import { gatherFacts } from './cluster-facts.js';
import { createMonitorChecks } from './monitor-checks.js';
import { createDeployedFunctions } from './deployed-functions.js';
import { createEmbeddedPlanner } from './embedded-planner.js';
import { decisionBody, openApiDocument } from './openapi.js';
import type { RunView } from '../../events/run-schema.js';
import type { Planner } from './plan.js';
import { loadPolicy } from './policy.js';
import type { Approver } from './approval-gate.js';
import { createRunEngine, type RunAnswer, type RunEngine } from './run-engine.js';
import { createRunStore } from './run-store.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

/** A run still going when the answer is due: accepted, follow it at /runs/<id>. */
export const RUN_STARTED = 'dev.ganglion.run.started';
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const engines = new Map<string, Promise<RunEngine>>();
/** Homes whose cluster lacks Ganglion's definitions: every request answers this 503 until they are applied. */
const unavailable = new Map<string, GanglionError>();

/** Each stack.yml function whose schema loads; one broken function does not take the planner down. */
async function catalogOf(config: RuntimeConfig, log: Logger): Promise<FunctionMeta[]> {
  const file = config.planner.stackFile || path.resolve(distRoot, '..', 'stack.yml');
  const stack = loadStack(file, config.env);
  const metas: FunctionMeta[] = [];
  for (const [name, fn] of Object.entries(stack.functions)) {
    if (name === 'planner') continue;
    try {
      metas.push(...(await loadCatalog({ ...stack, functions: { [name]: fn } }, distRoot)));
    } catch (err) {
      log.warn({ err, fn: name }, 'function left out of the planner catalog');
    }
  }
  return metas;
}

async function choosePlanner(config: RuntimeConfig, log: Logger): Promise<Planner> {
  const embedded = createEmbeddedPlanner();
  if (!config.ollamaHost) return embedded;
  try {
    const brain = await import('./ollama/index.js');
    return brain.ollamaPlannerFromConfig(config, embedded) ?? embedded;
  } catch (err) {
    log.warn({ err }, 'Ollama planner unavailable; using the embedded planner');
    return embedded;
  }
}

/** The engine of this GANGLION_HOME, built once (a failed build is tried again by the next request). */
export async function engineFor(deps: { config: RuntimeConfig; kube: KubeAccess; log: Logger }): Promise<RunEngine> {
  const { config, kube } = deps;
  const missing = unavailable.get(config.home);
  if (missing) {
    // Checked again on each request, so `kubectl apply -f k8s/` takes effect without a restart.
    try {
      await stateClient(kube, config).check();
    } catch (err) {
      throw err instanceof GanglionError && err.code === 'crds_missing' ? missing : err;
    }
    unavailable.delete(config.home);
  }
  let hit = engines.get(config.home);
  if (!hit) {
    hit = buildEngine(deps);
    engines.set(config.home, hit);
    hit.catch(() => engines.delete(config.home));
  }
  return hit;
}

async function buildEngine(deps: { config: RuntimeConfig; kube: KubeAccess; log: Logger }): Promise<RunEngine> {
  const { config, kube, log } = deps;
  const state = stateClient(kube, config);
  let catalog: Promise<FunctionMeta[]> | undefined;
  let planner: Promise<Planner> | undefined;
  // The Monitor objects, as checks a command can run by name ("run the pod-health check now").
  const checks = createMonitorChecks({ state });
  const engine = createRunEngine({
    state,
    store: createRunStore({ state, stepOutputBytes: config.state.stepOutputBytes, staleMs: 2 * config.execTimeoutMs, ...(config.env.HOSTNAME ? { host: config.env.HOSTNAME } : {}) }),
    invoke: invokeFunction,
    gatewayUrl: config.gatewayUrl,
    planner: () => (planner ??= choosePlanner(config, log)),
    catalog: () => (catalog ??= catalogOf(config, log).catch((err: unknown) => { catalog = undefined; throw err; })),
    // What the gateway lists now, not what stack.yml says: OpenFaaS CE deploys at most 15 of its 20 functions.
    deployed: createDeployedFunctions({ gatewayUrl: config.gatewayUrl, credentials: () => gatewayCredentials(config), ttlMs: config.planner.catalogTtlMs }),
    facts: async (o) => {
      const [facts, known] = await Promise.all([gatherFacts(kube, o), checks(o.signal)]);
      return { ...facts, ...known };
    },
    policy: () => loadPolicy(state),
    approvalKey: () => approvalKey(config),
    stepKey: () => stepKey(config),
    waitMs: config.planner.waitMs,
    approvalTtlMs: config.planner.approvalTtlMs,
    maxReplans: config.brain.maxReplans,
    log,
  });
  const interrupted = await engine.recover();
  if (interrupted.length) log.warn({ runs: interrupted }, 'runs interrupted by a restart were marked failed');
  return engine;
}

function replyOf(view: RunView): { type: string; status: number } {
  switch (view.status) {
    case 'awaiting-approval': return { type: EVENT.runAwaitingApproval, status: 202 };
    case 'running': return { type: RUN_STARTED, status: 202 };
    case 'failed': case 'rejected': return { type: EVENT.runFailed, status: 200 };
    default: return { type: EVENT.runCompleted, status: 200 };
  }
}

/** The line for Accept: text/plain; a waiting run says how to approve with its token, or who may approve it. */
function summaryLine(a: RunAnswer): string {
  if (a.view.status !== 'awaiting-approval' || !a.view.approval) return a.view.summary;
  if (!a.token) return `${a.view.summary}\nrun ${a.view.runId} is waiting for approval by a principal with role approver (it was started by ${a.view.client})`;
  return `${a.view.summary}\nrun ${a.view.runId} is waiting for approval; to apply: ganglion approve ${a.view.runId} ${a.token}\n(or: curl -X POST ${a.view.approval.approveUrl} -d '{"token":"${a.token}"}')`;
}

/** RFC 7240 `Prefer: respond-async`: answer at once with the run `running`; the client follows its event stream. */
const respondAsync = (headers: Record<string, string | string[] | undefined>) => /(^|,)\s*respond-async\s*(;|,|$)/i.test(String(headers.prefer ?? ''));

/** The caller the runtime authenticated; a 401 if there is none (a runtime that checked nothing). */
function callerOf(ctx: Pick<FunctionContext, 'principal'>): Principal {
  if (!ctx.principal) throw new GanglionError(401, 'unauthenticated', 'the planner needs an authenticated caller: send Authorization: Bearer <token>');
  return ctx.principal;
}

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  const who = callerOf(ctx);
  const approver = roleAtLeast(who.role, 'approver');
  // Checked before anything is planned or run: a yes approves changes, so it needs what approving needs.
  if (inp.context?.yes === true && !approver) {
    throw new GanglionError(403, 'forbidden', `"yes" approves the run's changes and needs role approver; ${who.name} has role ${who.role}. Send the command without yes: it stops for approval`, { details: { need: 'approver', have: who.role } });
  }
  const engine = await engineFor(ctx);
  const traceparent = ctx.event.extensions.traceparent;
  const hops = ctx.event.extensions.hopsleft;
  // The audit's client is who authenticated, never what the body says.
  const a = await engine.start({
    text: inp.text, context: { ...inp.context, client: who.name }, handToken: approver,
    // The command event's id names the run, so its sender can follow it (and a repeat is a replay, not a new run).
    ...(ctx.event.synthetic ? {} : { runId: ctx.event.id }),
    ...(respondAsync(ctx.request.headers) ? { wait: false } : {}),
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(hops !== undefined ? { hopsLeft: Number(hops) } : {}),
  });
  const { type, status } = replyOf(a.view);
  return { summary: summaryLine(a), data: a.view, subject: `run/${a.view.runId}`, reply: { type, data: a.view, status } };
}

/** A route's answer: the run as JSON in a binary-mode CloudEvent (or its summary for Accept: text/plain). */
function runResponse(a: RunAnswer, req: FnRequest, fixedStatus?: number): FnResponse {
  const { type, status: byState } = replyOf(a.view);
  const status = fixedStatus ?? byState;
  const event = createEvent({ type, source: '/ganglion/planner', subject: `run/${a.view.runId}`, data: a.view, extensions: { runid: a.view.runId } });
  const accept = String(req.headers.accept ?? '');
  if (/^\s*text\/plain/i.test(accept)) return { status, headers: toBinary(event, 'text/plain; charset=utf-8').headers, body: `${summaryLine(a)}\n` };
  const { headers, body } = toBinary(event);
  return { status, headers, body };
}

const jsonResponse = (status: number, value: unknown): FnResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

export const AUDIT_LIMIT = { default: AUDIT_PAGE, max: 1000 } as const;
export const RUNS_LIMIT = { default: 20, max: 200 } as const;

/** `?limit=` of a list: a whole number from 1 to `max`; anything else is a 400 saying so, never "everything". */
function listLimit(query: URLSearchParams, bounds: { default: number; max: number }): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return bounds.default;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n < 1 || n > bounds.max) throw badRequest(`limit must be a whole number from 1 to ${bounds.max} (got ${JSON.stringify(raw.slice(0, 20))})`);
  return n;
}

/**
 * One page of the audit log, oldest first: `limit` records read (from `since` on), and `continue` for the next page
 * until the last. Objects that do not read as records (edited by hand) are left out and named in `skipped`.
 */
async function auditAnswer(req: FnRequest, ctx: { config: RuntimeConfig; kube: KubeAccess }): Promise<FnResponse> {
  const since = req.query.get('since') || undefined;
  const token = req.query.get('continue') || undefined;
  const page = await readAudit(stateClient(ctx.kube, ctx.config), { limit: listLimit(req.query, AUDIT_LIMIT), ...(since ? { since } : {}), ...(token ? { continue: token } : {}) }, req.signal);
  return jsonResponse(200, page);
}

/**
 * Who approves or rejects: the run's token (`{"token": …}` or the bare token), or the caller by their own
 * credential (`{"self": true}`), whose role the route has checked (approver). Nothing else is either: an empty body
 * is a 400, so a client that lost its token never approves by accident.
 */
function approverOf(req: FnRequest, caller: string): Approver {
  const text = req.body.toString('utf8').trim();
  const usage = 'send the approval token as {"token": "..."}, or {"self": true} to decide as yourself (role approver)';
  if (!text) throw badRequest(usage);
  if (!text.startsWith('{')) return { token: text };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badRequest(`the body is not JSON; ${usage}`);
  }
  const parsed = decisionBody.safeParse(raw);
  if (!parsed.success) throw badRequest(usage);
  return 'token' in parsed.data ? { token: parsed.data.token } : { principal: caller };
}

export const routes: FunctionRoute[] = [
  { method: 'GET', path: '/runs', access: 'viewer', handle: async (req, ctx) => jsonResponse(200, await runList(await engineFor(ctx), listLimit(req.query, RUNS_LIMIT))) },
  { method: 'GET', path: '/runs/:id', access: 'viewer', handle: async (req, ctx) => runResponse({ view: await (await engineFor(ctx)).get(req.params.id ?? '') }, req, 200) },
  {
    // The approval token of a waiting run, for its starter holding approver (a start answered at once has none).
    method: 'GET', path: '/runs/:id/approval', access: 'approver',
    handle: async (req, ctx) => jsonResponse(200, { runId: req.params.id ?? '', ...(await (await engineFor(ctx)).issueToken(req.params.id ?? '', callerOf(ctx).name)) }),
  },
  { method: 'POST', path: '/runs/:id/approve', access: 'approver', handle: async (req, ctx) => runResponse(await (await engineFor(ctx)).approve(req.params.id ?? '', approverOf(req, callerOf(ctx).name), { wait: !respondAsync(req.headers), by: callerOf(ctx).name }), req) },
  { method: 'POST', path: '/runs/:id/reject', access: 'approver', handle: async (req, ctx) => runResponse({ view: await (await engineFor(ctx)).reject(req.params.id ?? '', approverOf(req, callerOf(ctx).name), callerOf(ctx).name) }, req) },
  {
    method: 'GET', path: '/runs/:id/events', access: 'viewer',
    handle: async (req, ctx) => ({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
      body: await (await engineFor(ctx)).stream(req.params.id ?? '', req.signal ?? new AbortController().signal),
    }),
  },
  { method: 'GET', path: '/audit', access: 'viewer', handle: async (req, ctx) => { await engineFor(ctx); return auditAnswer(req, ctx); } },
  // The API's description names no run, token or object: anyone may read it.
  { method: 'GET', path: '/openapi.json', access: 'public', handle: async (_req, ctx) => jsonResponse(200, openApiDocument(ctx.config.gatewayUrl)) },
];

/** `{runs}`, plus `unreadable` naming the Run objects that are not runs, when there are any. */
async function runList(engine: RunEngine, limit: number): Promise<{ runs: RunView[]; unreadable?: Array<{ runId: string; error: string }> }> {
  const { runs, unreadable } = await engine.list(limit);
  return { runs, ...(unreadable.length ? { unreadable } : {}) };
}

/**
 * Checks once that the cluster serves Ganglion's definitions. Without them the planner keeps serving, answering
 * every request 503 with the one line logged here (it names `kubectl apply -f k8s/`); it never throws, so a
 * cluster that is down at start costs the requests made while it is down, not the process.
 */
export async function init(ctx: { config: RuntimeConfig; kube: KubeAccess; log: Logger }): Promise<void> {
  try {
    await stateClient(ctx.kube, ctx.config).check();
  } catch (err) {
    if (err instanceof GanglionError && err.code === 'crds_missing') {
      unavailable.set(ctx.config.home, err);
      ctx.log.error({ code: err.code }, err.message);
      return;
    }
    ctx.log.warn({ err }, 'could not check the cluster for Ganglion\'s definitions; runs fail until it answers');
    return;
  }
  await engineFor(ctx).catch((err: unknown) => ctx.log.warn({ err }, 'the planner could not start its run engine; the next request tries again'));
}
