/**
 * The run engine: plans a command, runs reads at once (in parallel where independent), previews every change
 * with a dry run, stops for approval (a person's single-use token, the policy file, or the client's yes), then
 * applies exactly the approved steps once. Nothing a tool or model says can approve: approval comes only
 * from approve(), the policy file, or the `yes` of the command's own context.
 */
import { randomBytes } from 'node:crypto';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import { isRunId, RUN_ID_RULE } from '../../events/run-id.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import type { Logger } from '../../kernel/logger.js';
import type { ChangeView, RunView } from '../../events/run-schema.js';
import type { ClusterFacts, Planner, StepOutcome } from './plan.js';
import type { Policy } from './policy.js';
import type { StateClient } from '../../cluster-state/ganglion-objects.js';
import { autoApprove, checkToken, newToken, nextPhase, type Approver } from './approval-gate.js';
import { createProgressHub, progressStream } from './run-progress.js';
import { executeStep, type Invoker } from './run-steps.js';
import type { RunRecord, RunStore, StepRecord } from './run-store.js';
import { summarise, toView } from './run-view.js';
import { undeployedFunctions, validatePlan } from './plan-check.js';
import type { DeployedList } from './deployed-functions.js';
import { pictureChange, repeatedRun } from './result-picture.js';

/** `client` is the authenticated principal who starts the run: the audit names it, and only it may fetch the approval token. */
export interface CommandContext { client?: string; yes?: boolean; planOnly?: boolean; cluster?: string }

export interface RunEngineDeps {
  /** The state namespace's client: audit records are written there, and approved steps recorded as Approval objects for the mutating function to spend once. */
  state: StateClient;
  store: RunStore;
  invoke: Invoker;
  gatewayUrl: string;
  planner: () => Promise<Planner>;
  catalog: () => Promise<FunctionMeta[]>;
  /** The functions the gateway lists (deployed-functions.ts); absent = every catalog function is deployed. */
  deployed?: (opts?: { refresh?: boolean }) => Promise<DeployedList>;
  facts: (opts: { cluster?: string; withPods: boolean; signal: AbortSignal }) => Promise<ClusterFacts>;
  /** The pre-approval policy as of now (ApprovalPolicy objects); read at every decision. */
  policy: () => Policy | Promise<Policy>;
  approvalKey: () => Buffer;
  /** Signs every step call (host/step-key.ts); absent only with a fake invoker. */
  stepKey?: () => Buffer;
  now?: () => Date;
  /** How long start/approve wait before answering "running". */
  waitMs?: number;
  approvalTtlMs?: number;
  stepTimeoutMs?: number;
  /** Re-plans a run may make (GANGLION_BRAIN_MAX_REPLANS, default 2); 0 turns re-planning off. */
  maxReplans?: number;
  log?: Logger;
}

export interface RunAnswer { view: RunView; token?: string }

/**
 * A change that reports no before/after (creating a monitor, sending a report) is shown as the call it makes; a
 * compensating step as the call it makes only if the step it guards fails ("if verify (s2) fails: run deploy …").
 */
function callAsChange(s: StepRecord, steps: StepRecord[]): ChangeView {
  const args = Object.entries(s.input).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  const guard = s.onFailureOf ? steps.find((o) => o.id === s.onFailureOf) : undefined;
  const when = s.onFailureOf ? `only if ${guard?.fn ?? 'step'} (${s.onFailureOf}) fails: ` : '';
  return { stepId: s.id, fn: s.fn, object: s.fn, field: 'run', before: null, after: s.input, text: `${when}run ${s.fn}${args ? ` ${args}` : ''}${s.onFailureOf && s.why ? ` (${s.why})` : ''}` };
}

/** The catalog as a planner sees it: what is deployed to plan with, and what stack.yml has beyond that. */
function plannerCatalog(catalog: FunctionMeta[], deployed: ReadonlySet<string> | undefined): { catalog: FunctionMeta[]; missing?: FunctionMeta[] } {
  if (!deployed) return { catalog };
  const missing = catalog.filter((m) => !deployed.has(m.name));
  return { catalog: catalog.filter((m) => deployed.has(m.name)), ...(missing.length ? { missing } : {}) };
}

/** A write of approve/reject that lost to another process's write: the 409 says nothing was done here. */
function spentElsewhere(err: unknown, runId: string, verb: string): unknown {
  if (!(err instanceof GanglionError) || err.code !== 'run_changed') return err;
  return new GanglionError(409, 'run_changed', `run ${runId} changed while this approval was checked (another planner process approved or rejected it first); nothing was ${verb} here — read it with GET /function/planner/runs/${runId}`);
}

const newRunId = () => `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
const newTraceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;

export function createRunEngine(deps: RunEngineDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const waitMs = deps.waitMs ?? 50_000;
  const maxReplans = deps.maxReplans ?? 2;
  const hub = createProgressHub();
  /** Raw tokens of runs waiting for approval, only until their start/approve answer takes them (or drops them). */
  const tokens = new Map<string, string>();
  /** Runs whose start/approve call is still waiting to answer: only those keep the raw token, for that answer. */
  const awaited = new Set<string>();
  const driving = new Map<string, Promise<void>>();
  const approvalTtlMs = deps.approvalTtlMs ?? 3_600_000;
  const stepDeps = { state: deps.state, invoke: deps.invoke, gatewayUrl: deps.gatewayUrl, approvalKey: deps.approvalKey, ...(deps.stepKey ? { stepKey: deps.stepKey } : {}), approvalTtlMs, stepTimeoutMs: deps.stepTimeoutMs ?? 300_000, now };

  const approveUrl = (runId: string) => `${deps.gatewayUrl}/function/planner/runs/${runId}/approve`;
  async function touch(run: RunRecord): Promise<void> {
    run.updatedAt = now().toISOString();
    await store.save(run);
  }
  const stepEvent = (run: RunRecord, s: StepRecord) =>
    hub.emit(run.runId, { event: 'step', data: { runId: run.runId, stepId: s.id, fn: s.fn, status: s.status, ...(s.summary ? { summary: s.summary } : {}) } });

  /** The gateway's list as a set, or undefined (plan with the whole catalog) with the reason in the run's notes. */
  async function deployedNames(run: RunRecord, refresh = false): Promise<ReadonlySet<string> | undefined> {
    if (!deps.deployed) return undefined;
    const list = await deps.deployed({ refresh });
    if (list.ok) return list.names;
    const note = `could not read the deployed functions (${list.reason}); planned with every function in stack.yml`;
    if (!run.notes?.includes(note)) run.notes = [...(run.notes ?? []), note];
    return undefined;
  }

  async function end(run: RunRecord, status: RunRecord['status'], error?: { code: string; message: string }): Promise<void> {
    run.status = status;
    if (error) run.error = error;
    run.data = Object.fromEntries(run.steps.filter((s) => s.data !== undefined).map((s) => [s.id, s.data]));
    run.summary = summarise(run);
    await touch(run);
    hub.emit(run.runId, { event: 'done', data: toView(run) });
  }

  async function stopForApproval(run: RunRecord): Promise<void> {
    const waiting = run.steps.filter((s) => s.status === 'awaiting-approval' && !s.approved);
    const { token, hash } = newToken();
    if (awaited.has(run.runId)) tokens.set(run.runId, token);
    run.tokenHash = hash;
    run.approval = {
      changes: waiting.flatMap((s) => (s.changes?.length ? s.changes : [callAsChange(s, run.steps)])),
      approveUrl: approveUrl(run.runId),
      rejectUrl: approveUrl(run.runId).replace(/approve$/, 'reject'),
      expiresAt: new Date(now().getTime() + approvalTtlMs).toISOString(),
    };
    run.status = 'awaiting-approval';
    run.data = Object.fromEntries(run.steps.filter((s) => s.data !== undefined).map((s) => [s.id, s.data]));
    run.summary = summarise(run);
    await touch(run);
    // Never the token: anyone who may read the run may follow its stream. The starter, holding approver, gets one from
    // the start answer or GET /runs/<id>/approval (issueToken).
    hub.emit(run.runId, { event: 'awaiting-approval', data: { runId: run.runId, changes: run.approval.changes, approveUrl: run.approval.approveUrl } });
  }

  /**
   * Shows the planner a round's results when one changes the picture (failed, empty, a review verdict; see
   * result-picture.ts); it may add steps. The engine alone owns re-planning: it decides when to ask, counts the
   * re-plans against maxReplans (GANGLION_BRAIN_MAX_REPLANS; 0 = never ask), and checks what comes back once, as a
   * first plan is checked. A planner that adds nothing costs nothing; one that repeats a step that ran is a loop.
   */
  async function maybeReplan(run: RunRecord, planner: Planner, facts: ClusterFacts, catalog: FunctionMeta[], deployed: ReadonlySet<string> | undefined, signal: AbortSignal): Promise<boolean> {
    const ran = run.steps.filter((s) => s.status === 'completed' || s.status === 'failed');
    const seen = new Set(run.considered ?? []);
    const fresh = ran.filter((s) => !s.superseded && !seen.has(s.id));
    if (!fresh.length || !planner.replan) return false;
    run.considered = [...seen, ...fresh.map((s) => s.id)];
    const results: StepOutcome[] = ran.map((s) => ({
      stepId: s.id, fn: s.fn, status: s.status === 'completed' ? 'completed' : 'failed', summary: s.summary ?? s.error?.message ?? '',
      ...(s.data !== undefined ? { data: s.data } : {}), ...(s.error ? { error: s.error } : {}),
    }));
    const freshIds = new Set(fresh.map((s) => s.id));
    const changes = results.filter((r) => freshIds.has(r.stepId)).flatMap((r) => {
      const why = pictureChange(r);
      return why ? [{ stepId: r.stepId, why }] : [];
    });
    const why = changes[0]?.why;
    if (!why) return false;
    if (run.replans >= maxReplans) {
      run.conclusion = maxReplans === 0
        ? `did not re-plan: re-planning is off (GANGLION_BRAIN_MAX_REPLANS=0); ${why}`
        : `stopped re-planning: the run's ${maxReplans} re-plan${maxReplans === 1 ? ' is' : 's are'} spent (${why})`;
      await touch(run);
      return false;
    }
    const plan = { ...(run.intent ? { intent: run.intent } : {}), steps: run.steps.map(({ id, fn, input, dependsOn, mutates, why: w, onFailureOf }) => ({ id, fn, input, dependsOn, mutates, ...(w ? { why: w } : {}), ...(onFailureOf ? { onFailureOf } : {}) })) };
    const outcome = await planner.replan({ text: run.text, ...plannerCatalog(catalog, deployed), facts, signal, plan, results, changes });
    if (!outcome) return false;
    if (outcome.plan.steps.length === 0) {
      if (outcome.plan.conclusion) { run.conclusion = outcome.plan.conclusion.slice(0, 300); await touch(run); }
      return false;
    }
    const loop = repeatedRun(outcome.plan.steps, ran, catalog);
    if (loop) {
      throw new GanglionError(508, 'replan_loop', `stopped: ${outcome.planner} planned ${loop.step.fn} ${JSON.stringify(loop.step.input)} again after it already ran as step ${loop.ranAs}; a repeated identical step is a loop`);
    }
    run.replans++;
    const prefix = `r${run.replans}-`;
    const known = new Set(run.steps.map((s) => s.id));
    const idFor = (d: string) => (known.has(d) ? d : prefix + d);
    const renamed = outcome.plan.steps.map((s) => ({ ...s, id: prefix + s.id, dependsOn: s.dependsOn.map(idFor), ...(s.onFailureOf ? { onFailureOf: idFor(s.onFailureOf) } : {}) }));
    const added = validatePlan({ steps: renamed }, { catalog, facts, existing: known, ...(deployed ? { deployed } : {}) });
    // A model re-plans after reading tool output (logs, diffs): what it adds is not what the person said yes to.
    if (outcome.planner !== 'embedded') for (const s of added) s.addedByModel = outcome.planner;
    for (const s of fresh) if (s.status === 'failed') s.superseded = true;
    run.steps.push(...added);
    run.notes = [...(run.notes ?? []), `${outcome.planner} added ${added.map((s) => s.fn).join(', ')} because ${why}`, ...(outcome.notes ?? [])];
    await touch(run);
    hub.emit(run.runId, { event: 'plan', data: { runId: run.runId, planner: outcome.planner, ...(run.intent ? { intent: run.intent } : {}), steps: toView(run).steps } });
    return true;
  }

  async function drive(run: RunRecord, planner: Planner, facts: ClusterFacts, catalog: FunctionMeta[], deployed: ReadonlySet<string> | undefined): Promise<void> {
    const metas = new Map(catalog.map((m) => [m.name, m]));
    const signal = new AbortController().signal;
    for (;;) {
      const inflight = new Map<string, Promise<void>>();
      // A step's save that failed (another replica changed the run): the loop stops at its next turn.
      let lost: unknown;
      for (;;) {
        const byId = new Map(run.steps.map((s) => [s.id, s]));
        let changed = false;
        for (const s of run.steps) {
          if (inflight.has(s.id)) continue;
          const phase = nextPhase(run, s, byId);
          if (!phase) continue;
          if (phase === 'skip') { s.status = 'skipped'; stepEvent(run, s); changed = true; continue; }
          const meta = metas.get(s.fn) as FunctionMeta;
          s.status = 'running';
          s.startedAt = now().toISOString();
          stepEvent(run, s);
          const done = executeStep(stepDeps, run, s, meta, phase, signal).then(() => touch(run)).then(() => stepEvent(run, s), (err: unknown) => { lost ??= err; });
          inflight.set(s.id, done.finally(() => inflight.delete(s.id)));
          changed = true;
        }
        if (changed) await touch(run);
        if (inflight.size === 0 && !changed) break;
        if (inflight.size) await Promise.race(inflight.values());
        if (lost) {
          await Promise.all(inflight.values());
          throw lost;
        }
      }
      if (await maybeReplan(run, planner, facts, catalog, deployed, signal)) continue;
      const waiting = run.steps.filter((s) => s.status === 'awaiting-approval' && !s.approved);
      if (waiting.length) {
        if (autoApprove(run, waiting, await deps.policy())) continue;
        await stopForApproval(run);
        return;
      }
      const failed = run.steps.some((s) => (s.status === 'failed' || s.status === 'rejected') && !s.superseded);
      await end(run, failed ? 'failed' : 'completed');
      return;
    }
  }

  /**
   * Runs `work` as the run's one driver; a crash of the engine itself fails the run with the reason. A run another
   * planner process changed is left as that process wrote it: this one only stops. The promise never rejects.
   */
  function launch(run: RunRecord, work: () => Promise<void>): Promise<void> {
    const p = work().catch(async (err: unknown) => {
      if (err instanceof GanglionError && err.code === 'run_changed') {
        deps.log?.warn({ runId: run.runId }, 'run changed by another planner process; stopped driving it');
        return;
      }
      const pub = toPublicError(err);
      if (pub.status >= 500 && !(err instanceof GanglionError)) deps.log?.error({ err, runId: run.runId }, 'run failed');
      for (const s of run.steps) if (s.status === 'running' || s.status === 'pending') s.status = 'skipped';
      await end(run, 'failed', { code: pub.code, message: pub.message }).catch((failed: unknown) => {
        // The cluster refused even the failure (unreachable, or another process took the run): say so in the log.
        deps.log?.error({ err: failed, runId: run.runId, reason: pub.message }, 'could not record that the run failed');
      });
    }).finally(() => driving.delete(run.runId));
    driving.set(run.runId, p);
    return p;
  }

  /**
   * Waits for the run to finish or stop, at most waitMs, then answers its state (and a fresh token once, when
   * `handToken`: the starter holds approver). `wait: false` answers at once; the starter fetches a token with issueToken.
   */
  async function answer(run: RunRecord, p: Promise<void>, wait = true, handToken = true): Promise<RunAnswer> {
    if (!wait) return { view: toView(run) };
    let timer: NodeJS.Timeout | undefined;
    awaited.add(run.runId);
    await Promise.race([p, new Promise<void>((resolve) => { timer = setTimeout(resolve, waitMs); })]);
    clearTimeout(timer);
    awaited.delete(run.runId);
    const kept = tokens.get(run.runId);
    tokens.delete(run.runId);
    const token = run.status === 'awaiting-approval' && handToken ? kept : undefined;
    if (run.status === 'running') run.summary = summarise(run);
    return { view: toView(run, token), ...(token ? { token } : {}) };
  }

  async function plan(run: RunRecord): Promise<void> {
    const signal = new AbortController().signal;
    const [planner, catalog, facts, listed] = await Promise.all([
      deps.planner(), deps.catalog(),
      deps.facts({ ...(run.context.cluster ? { cluster: run.context.cluster } : {}), withPods: /\b(pods?|logs?|containers?|crash\w*)\b/i.test(run.text), signal }),
      deployedNames(run),
    ]);
    let deployed = listed;
    run.cluster = facts.cluster;
    let outcome;
    try {
      outcome = await planner.plan({ text: run.text, ...plannerCatalog(catalog, deployed), facts, signal });
    } catch (err) {
      const pub = toPublicError(err);
      run.planner = planner.name;
      await end(run, 'failed', { code: pub.code, message: pub.message });
      return;
    }
    run.planner = outcome.planner;
    if (outcome.plan.intent) run.intent = outcome.plan.intent;
    if (outcome.notes?.length) run.notes = [...(run.notes ?? []), ...outcome.notes];
    // a line for after the results, e.g. the report made now offering its weekly schedule
    if (outcome.plan.conclusion) run.conclusion = outcome.plan.conclusion.slice(0, 300);
    if (outcome.plan.question) {
      run.question = outcome.plan.question;
      await end(run, 'needs-input');
      return;
    }
    try {
      // The list may be a few seconds old: a function deployed since is found by reading it again, once.
      if (deployed && undeployedFunctions(outcome.plan, { catalog, deployed }).length) deployed = await deployedNames(run, true);
      run.steps = validatePlan(outcome.plan, { catalog, facts, ...(deployed ? { deployed } : {}) });
    } catch (err) {
      const pub = toPublicError(err);
      await end(run, 'failed', { code: pub.code, message: pub.message });
      return;
    }
    await touch(run);
    hub.emit(run.runId, { event: 'plan', data: { runId: run.runId, planner: run.planner, ...(run.intent ? { intent: run.intent } : {}), steps: toView(run).steps } });
    await drive(run, planner, facts, catalog, deployed);
  }

  /** The run as the cluster holds it now: another planner process may have moved it on. */
  async function mustGet(runId: string): Promise<RunRecord> {
    const run = await store.get(runId);
    if (!run) throw new GanglionError(404, 'run_not_found', `no run ${runId}; list runs with GET /function/planner/runs`);
    return run;
  }

  return {
    /**
     * `runId` is the id of the command's event: a second command under an id already used is a replay, answered
     * with that run as it stands (no token, nothing runs again). Without one, the run gets a fresh id.
     */
    async start({ text, context = {}, traceparent, hopsLeft, runId, wait, handToken = true }: { text: string; context?: CommandContext; traceparent?: string; hopsLeft?: number; runId?: string; wait?: boolean; handToken?: boolean }): Promise<RunAnswer> {
      if (runId !== undefined && !isRunId(runId)) throw new GanglionError(400, 'bad_run_id', `the command's event id ${JSON.stringify(runId.slice(0, 100))} cannot name a run: use ${RUN_ID_RULE}`);
      const replayed = runId === undefined ? undefined : await store.get(runId);
      if (replayed) return { view: toView(replayed) };
      if (!text.trim()) throw new GanglionError(400, 'empty_command', 'the command is empty; say what to do, e.g. "Show me cluster status"');
      const at = now().toISOString();
      const run: RunRecord = {
        runId: runId ?? newRunId(), status: 'running', summary: 'planning', text: text.trim(), client: context.client || 'http', planner: '',
        steps: [], data: {}, createdAt: at, updatedAt: at,
        context: { yes: context.yes === true, planOnly: context.planOnly === true, ...(context.cluster ? { cluster: context.cluster } : {}) },
        traceparent: traceparent || newTraceparent(), hopsLeft: Math.max(1, (hopsLeft ?? 17) - 1), eventSalt: randomBytes(16).toString('hex'), replans: 0, cluster: context.cluster ?? '',
      };
      try {
        await touch(run);
      } catch (err) {
        // Another replica took the same command event first: this one is its replay.
        const first = err instanceof GanglionError && err.code === 'run_changed' ? await store.get(run.runId) : undefined;
        if (first) return { view: toView(first) };
        throw err;
      }
      return answer(run, launch(run, () => plan(run)), wait, handToken);
    },

    /**
     * A fresh approval token for a waiting run, for its starter only (the caller checks the role): the one made
     * before is void from now on. Made anew rather than kept, so any planner replica can answer.
     */
    async issueToken(runId: string, caller: string): Promise<{ token: string; expiresAt?: string }> {
      const run = await mustGet(runId);
      if (run.client !== caller) throw new GanglionError(403, 'forbidden', `only the principal who started run ${runId} (${run.client}) may fetch its approval token; ${caller} did not start it`);
      if (run.status !== 'awaiting-approval' || !run.tokenHash) throw new GanglionError(409, 'run_not_awaiting_approval', `run ${runId} is ${run.status}, not awaiting approval; there is no token to fetch`);
      const { token, hash } = newToken();
      run.tokenHash = hash;
      await touch(run).catch((err: unknown) => { throw spentElsewhere(err, runId, 'issued'); });
      return { token, ...(run.approval ? { expiresAt: run.approval.expiresAt } : {}) };
    },

    /**
     * Single use across every planner process: the token is spent by writing the run (tokenHash cleared, steps
     * approved) against the resourceVersion it was checked on, before anything runs. Of two processes spending one
     * token, the second write fails 409 and that process applies nothing.
     */
    async approve(runId: string, who: Approver, { wait = true, by = 'person' }: { wait?: boolean; by?: string } = {}): Promise<RunAnswer> {
      const run = await mustGet(runId);
      checkToken(run, who, 'applied', now());
      delete run.tokenHash;
      for (const s of run.steps) if (s.status === 'awaiting-approval' && !s.approved) { s.approved = true; s.approvedBy = by; }
      delete run.approval;
      run.status = 'running';
      await touch(run).catch((err: unknown) => { throw spentElsewhere(err, runId, 'applied'); });
      tokens.delete(runId);
      const work = async () => {
        const signal = new AbortController().signal;
        const [planner, catalog, facts, deployed] = await Promise.all([deps.planner(), deps.catalog(), deps.facts({ ...(run.context.cluster ? { cluster: run.context.cluster } : {}), withPods: false, signal }), deployedNames(run)]);
        await drive(run, planner, facts, catalog, deployed);
      };
      return answer(run, launch(run, work), wait);
    },

    async reject(runId: string, who: Approver, by = 'person'): Promise<RunView> {
      const run = await mustGet(runId);
      checkToken(run, who, 'rejected', now());
      run.rejectedBy = by;
      delete run.tokenHash;
      delete run.approval;
      for (const s of run.steps) if (s.status === 'awaiting-approval' || s.status === 'pending') s.status = s.status === 'awaiting-approval' ? 'rejected' : 'skipped';
      await end(run, 'rejected').catch((err: unknown) => { throw spentElsewhere(err, runId, 'rejected'); });
      tokens.delete(runId);
      return toView(run);
    },

    get: async (runId: string): Promise<RunView> => toView(await mustGet(runId)),
    /** The newest runs, and the Run objects that are not runs (named, with what is wrong), so one bad object hides nothing else. */
    async list(limit = 20): Promise<{ runs: RunView[]; unreadable: Array<{ runId: string; error: string }> }> {
      const { runs, unreadable } = await store.list(limit);
      return { runs: runs.map((r) => toView(r)), unreadable };
    },
    async stream(runId: string, signal: AbortSignal): Promise<AsyncGenerator<string>> {
      await mustGet(runId);
      return progressStream(hub, runId, async () => toView(await mustGet(runId)), signal);
    },
    recover: (): Promise<string[]> => store.recover(now()),
    /** Resolves when no run is being driven (tests, shutdown). */
    async idle(): Promise<void> {
      while (driving.size) await Promise.allSettled([...driving.values()]);
    },
  };
}

export type RunEngine = ReturnType<typeof createRunEngine>;
