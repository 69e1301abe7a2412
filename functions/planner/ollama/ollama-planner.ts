/**
 * The Ollama planner: one model call per plan, checked by the run's plan check (plan-check.ts) so the model can repair
 * its own answer once, then the embedded planner or a clear failure.
 */
import type { Message } from 'ollama';
import { GanglionError, isAbortError } from '../../../kernel/errors.js';
import type { FunctionMeta } from '../../../function-kit/function-module.js';
import type { Logger } from '../../../kernel/logger.js';
import type { Plan, PlanRequest, Planner, PlannerOutcome, ReplanRequest } from '../plan.js';
import { chatOnce, listModels, type Fetch } from './model-call.js';
import { classifyCommand, missingModelNote, routeCommand, sameModel, stepUp, type Complexity } from './model-router.js';
import { planMessages, repairMessages, replanMessages } from './plan-prompt.js';
import { planJsonSchemaOf } from './plan-schema.js';
import { checkPlan, type PlanCheckContext } from '../plan-check.js';
import { safeParseModelJson } from './model-json.js';
import { canonicalJson } from '../../../kernel/canonical-json.js';
import { createDataFence } from './untrusted-text.js';
import { loadConfig, type BrainConfig } from '../../../kernel/config.js';

/**
 * The brain's budgets: the ones kernel/config.ts reads from GANGLION_BRAIN_*, plus the facts' byte budget. The
 * re-plan count is not among them: the run engine owns it.
 */
export interface BrainBudgets extends Omit<BrainConfig, 'maxReplans'> {
  /** Bytes of cluster facts that reach the model. */
  factsBytes: number;
}

const { maxReplans: _runEngines, ...brainDefaults } = loadConfig({}).brain;
/** The configured defaults (loadConfig with no environment), so the two never drift apart. */
export const DEFAULT_BRAIN_BUDGETS: BrainBudgets = { ...brainDefaults, factsBytes: 6_144 };

export interface OllamaPlannerOptions {
  host: string;
  /** Model tiers, largest first (GANGLION_MODELS). */
  models: string[];
  /** Takes over when the brain is down, slow or keeps answering nonsense; without it the run fails with the reason. */
  fallback?: Planner;
  budgets?: Partial<BrainBudgets>;
  fetch?: Fetch;
  now?: () => number;
  /** Each model call at info level: model, milliseconds, tokens in and out, what went wrong. */
  log?: Logger;
}

/** A run's model-call budget (GANGLION_BRAIN_MAX_CALLS, GANGLION_BRAIN_RUN_MS); re-plans are the run engine's to count. */
interface RunState {
  calls: number;
  startedAt: number;
  model?: string;
}

type Attempt = { ok: true; plan: Plan; model: string } | { ok: false; reason: string };

const TAGS_TTL_MS = 30_000;
const MAX_RUNS = 500;

export function createOllamaPlanner({ host, models, fallback, budgets = {}, fetch: baseFetch = fetch, now = Date.now, log }: OllamaPlannerOptions): Planner {
  const b: BrainBudgets = { ...DEFAULT_BRAIN_BUDGETS, ...budgets };
  // A run's budget, found again at re-plan time by the command and the plan's first step: the run engine passes a
  // copy of the plan (renamed and merged steps), so object identity does not survive. Bounded to the newest runs.
  const runs = new Map<string, RunState>();
  const schemas = new Map<string, Record<string, unknown>>();
  let tags: { models: string[]; at: number } | undefined;

  const runKey = (text: string, plan: Plan) => (plan.steps[0] ? `${text}\n${plan.steps[0].id} ${plan.steps[0].fn} ${canonicalJson(plan.steps[0].input)}` : undefined);
  const remember = (text: string, plan: Plan, state: RunState) => {
    const key = runKey(text, plan);
    if (!key) return;
    runs.delete(key);
    runs.set(key, state);
    if (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value as string);
  };
  const stateOf = (text: string, plan: Plan): RunState | undefined => {
    const key = runKey(text, plan);
    return key ? runs.get(key) : undefined;
  };
  const usable = (catalog: FunctionMeta[]) => catalog.filter((m) => m.name !== 'planner');
  const withMissing = (catalog: FunctionMeta[], missing: FunctionMeta[]) => (missing.length ? [...catalog, ...missing] : catalog);
  // Keyed by the function names: the engine hands over a new array per run (what is deployed may change).
  const formatOf = (catalog: FunctionMeta[]) => {
    const key = usable(catalog).map((m) => m.name).join(',');
    let f = schemas.get(key);
    if (!f) {
      if (schemas.size >= 8) schemas.clear();
      schemas.set(key, (f = planJsonSchemaOf(usable(catalog))));
    }
    return f;
  };

  async function available(signal: AbortSignal): Promise<{ ok: true; models: string[] } | { ok: false; message: string }> {
    if (tags && now() - tags.at < TAGS_TTL_MS) return { ok: true, models: tags.models };
    const res = await listModels({ host, timeoutMs: b.connectTimeoutMs, signal, fetch: baseFetch });
    if (res.ok) tags = { models: res.models, at: now() };
    return res;
  }

  /** Up to two calls: the ask, then one repair (or re-ask after a cut stream) on the next larger tier. */
  async function ask(req: PlanRequest, state: RunState, first: Message[], ctx: PlanCheckContext, complexity: Complexity, notes: string[]): Promise<Attempt> {
    const list = await available(req.signal);
    if (!list.ok) return { ok: false, reason: list.message };
    const route = routeCommand(complexity, models, list.models);
    const note = missingModelNote(route.missing, host);
    if (note) notes.push(note);
    if (!route.model) return { ok: false, reason: `none of the configured models (GANGLION_MODELS=${models.join(',')}) is on the Ollama server at ${host}` };
    let model = route.model;
    let messages = first;
    let reason = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      if (state.calls >= b.maxModelCalls) return { ok: false, reason: `${reason ? `${reason}; ` : ''}the run spent its ${b.maxModelCalls} model calls (GANGLION_BRAIN_MAX_CALLS)` };
      const left = b.runBudgetMs - (now() - state.startedAt);
      if (left <= 0) return { ok: false, reason: `${reason ? `${reason}; ` : ''}the run spent its brain time of ${b.runBudgetMs} ms (GANGLION_BRAIN_RUN_MS)` };
      state.calls++;
      const started = now();
      const res = await chatOnce({ host, model, messages, format: formatOf(ctx.catalog), timeoutMs: Math.min(b.callTimeoutMs, left), keepAlive: b.keepAlive, numCtx: b.numCtx, signal: req.signal, fetch: baseFetch });
      log?.info({ model, ms: now() - started, ok: res.ok, ...(res.ok ? { promptTokens: res.promptEvalCount, outputTokens: res.evalCount } : { kind: res.kind, error: res.message }) }, 'model call');
      if (!res.ok) {
        reason = res.message;
        if (res.kind === 'unreachable' || res.kind === 'missing-model') tags = undefined;
        if (res.kind !== 'cut-off' && res.kind !== 'missing-model') return { ok: false, reason };
        notes.push(`${model}: ${res.message}`);
        if (res.kind === 'cut-off') model = stepUp(model, models, route.missing);
        else {
          // The server lost the model since /api/tags: the nearest other tier it still lists.
          const gone = model;
          const other = routeCommand(complexity, models, list.models.filter((m) => !sameModel(m, gone))).model;
          if (!other) return { ok: false, reason };
          model = other;
        }
        continue;
      }
      const parsed = safeParseModelJson(res.content);
      const checked = parsed.ok ? checkPlan(parsed.value, ctx) : parsed;
      if (checked.ok) return { ok: true, plan: checked.value, model };
      const limit = res.cutAtLimit ? ' (it stopped at the token limit; raise GANGLION_BRAIN_NUM_CTX)' : '';
      reason = `${model} answered an unusable plan: ${checked.error}${limit}`;
      notes.push(reason);
      messages = repairMessages(first, res.content, checked.error);
      model = stepUp(model, models, route.missing);
    }
    return { ok: false, reason };
  }

  async function fallBack(req: PlanRequest, reason: string, notes: string[], calls: number): Promise<PlannerOutcome> {
    if (!fallback) throw new GanglionError(502, 'brain_failed', `the Ollama planner could not plan "${req.text}": ${reason}`, { details: { notes } });
    const out = await fallback.plan(req);
    return { ...out, modelCalls: calls, notes: [...notes, `Ollama planner gave up (${reason}); the ${out.planner} planner planned instead`, ...(out.notes ?? [])] };
  }

  /** A bug or an odd schema in the brain's own path becomes a reason to fall back, never a failed run; aborts pass. */
  async function guarded(signal: AbortSignal, attempt: () => Promise<Attempt>): Promise<Attempt> {
    try {
      return await attempt();
    } catch (err) {
      if (signal.aborted || isAbortError(err)) throw err;
      return { ok: false, reason: `the Ollama planner failed before a usable answer: ${(err as Error).message}` };
    }
  }

  return {
    name: 'ollama',
    async plan(req) {
      const state: RunState = { calls: 0, startedAt: now() };
      const notes: string[] = [];
      const fence = createDataFence();
      const catalog = usable(req.catalog);
      const missing = req.missing ?? [];
      const got = await guarded(req.signal, () => {
        const first = planMessages({ text: req.text, catalog, missing, facts: req.facts, fence, factsBytes: b.factsBytes });
        // A plan may name a function that is not deployed: the run engine's gate then says how to deploy it.
        return ask(req, state, first, { catalog: withMissing(catalog, missing), facts: req.facts }, classifyCommand(req.text, catalog), notes);
      });
      if (!got.ok) return fallBack(req, got.reason, notes, state.calls);
      state.model = got.model;
      remember(req.text, got.plan, state);
      return { plan: got.plan, planner: got.model, modelCalls: state.calls, ...(notes.length ? { notes } : {}) };
    },

    /**
     * What comes next, given the run so far. Whether to ask at all, how often, and whether the answer is a loop are the
     * run engine's to decide; this only spends model calls. An empty result or a verdict with nothing following it
     * (no pending step, a single read) answers "carry on" without a call.
     */
    async replan(req: ReplanRequest) {
      const state = stateOf(req.text, req.plan) ?? { calls: 0, startedAt: now() };
      const catalog = usable(req.catalog);
      const complexity = classifyCommand(req.text, catalog);
      const ranIds = new Set(req.results.map((r) => r.stepId));
      const failed = new Set(req.results.filter((r) => r.status === 'failed').map((r) => r.stepId));
      const followUp = req.plan.steps.some((s) => !ranIds.has(s.id)) || complexity.multiStep || complexity.mutating;
      const why = req.changes.find((c) => followUp || failed.has(c.stepId))?.why;
      if (!why) return undefined;
      const notes = [`re-planned because ${why}`];
      const fence = createDataFence();
      const missing = req.missing ?? [];
      const ctx: PlanCheckContext = { catalog: withMissing(catalog, missing), facts: req.facts, existing: req.plan.steps.map((s) => s.id), allowEmpty: true };
      const got = await guarded(req.signal, () => {
        const messages = replanMessages({ text: req.text, catalog, missing, facts: req.facts, fence, plan: req.plan, results: req.results, resultBytes: b.resultBytes, factsBytes: b.factsBytes });
        return ask(req, state, messages, ctx, complexity, notes);
      });
      if (!got.ok) {
        const viaFallback = await fallback?.replan?.(req);
        return viaFallback ? { ...viaFallback, notes: [...notes, `Ollama re-plan failed (${got.reason})`, ...(viaFallback.notes ?? [])] } : undefined;
      }
      // The model adds nothing: the embedded planner may still say in one line why the run ends here ("not deployed").
      const conclusion = got.plan.steps.length || got.plan.conclusion ? undefined : (await fallback?.replan?.(req).catch(() => undefined))?.plan.conclusion;
      return { plan: conclusion ? { ...got.plan, conclusion } : got.plan, planner: got.model, modelCalls: state.calls, notes };
    },
  };
}
