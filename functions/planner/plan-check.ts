/**
 * The one check every plan passes before anything runs, first plan or re-plan, from any planner: known functions,
 * inputs as their schemas parse them, names the cluster has, ids and dependencies that hold together. Whether a step
 * mutates comes from the function's own metadata, never from the plan. The run engine applies it; the Ollama planner
 * uses the same check to tell its model what to repair.
 */
import * as z from 'zod';
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { canonicalJson } from '../../kernel/canonical-json.js';
import { issueLines } from '../../kernel/zod-issues.js';
import { closestNames } from '../../cluster/closest-names.js';
import type { ClusterFacts, Plan, PlanStep } from './plan.js';
import type { StepRecord } from './run-store.js';
import { fitInput, hasRefs } from './step-input.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export interface PlanCheckContext {
  catalog: FunctionMeta[];
  /** Names a step may use; a name the cluster lacks is an error unless the facts are unavailable. */
  facts?: ClusterFacts;
  /** Step ids the run already has: a re-plan may depend on them and may not reuse them. */
  existing?: Iterable<string>;
  /** A re-plan may answer "nothing more to run". */
  allowEmpty?: boolean;
  /** The functions the gateway lists; a step calling a known function outside it cannot run. Absent = all deployed. */
  deployed?: ReadonlySet<string>;
}

const MAX_STEPS = 50;

/** Every problem with a plan (at most eight, field by field, so a model can repair them), or the plan as it will run. */
export function checkPlan(raw: unknown, ctx: PlanCheckContext): Checked<Plan> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: 'the answer must be a JSON object {"steps": [...]}' };
  const obj = raw as Record<string, unknown>;
  const question = typeof obj.question === 'string' && obj.question.trim() ? obj.question.trim() : undefined;
  const intent = typeof obj.intent === 'string' && obj.intent.trim() ? obj.intent.trim() : undefined;
  if (!Array.isArray(obj.steps)) return { ok: false, error: 'the answer has no "steps" array' };
  if (obj.steps.length > MAX_STEPS) return { ok: false, error: `the plan has ${obj.steps.length} steps; at most ${MAX_STEPS} run in one go` };
  const catalog = ctx.catalog.filter((m) => m.name !== 'planner');
  const errors: string[] = [];
  const steps: PlanStep[] = [];
  // Dependencies point only backwards (to the run's steps or earlier ones here), so no plan can hold a cycle.
  const ids = new Set<string>(ctx.existing ?? []);
  const seen = new Map<string, string>();
  obj.steps.forEach((s: unknown, i) => {
    const at = `steps[${i}]`;
    if (!s || typeof s !== 'object' || Array.isArray(s)) return errors.push(`${at} must be an object`);
    const step = s as Record<string, unknown>;
    const id = typeof step.id === 'string' && step.id ? step.id : `s${i + 1}`;
    if (typeof step.fn !== 'string') return errors.push(`${at}.fn is missing`);
    const meta = catalog.find((m) => m.name === step.fn);
    if (!meta) return errors.push(`${at}.fn: unknown function "${step.fn}"; use one of: ${catalog.map((m) => m.name).join(', ')}`);
    const dependsOn = [...new Set(Array.isArray(step.dependsOn) ? step.dependsOn.filter((d): d is string => typeof d === 'string') : [])];
    for (const d of dependsOn) if (!ids.has(d)) errors.push(`${at}.dependsOn: "${d}" is not an earlier step id`);
    if (ids.has(id)) errors.push(`${at}.id: "${id}" is already used; give each step a new id`);
    const onFailureOf = typeof step.onFailureOf === 'string' && step.onFailureOf ? step.onFailureOf : undefined;
    if (onFailureOf && !ids.has(onFailureOf)) errors.push(`${at}.onFailureOf: "${onFailureOf}" is not an earlier step id`);
    if (step.input !== undefined && (typeof step.input !== 'object' || step.input === null || Array.isArray(step.input))) return errors.push(`${at}.input must be an object`);
    const parsed = parseStepInput(meta, (step.input ?? {}) as Record<string, unknown>);
    if (!parsed.success) return errors.push(...issueLines(parsed.error, { at: `${at}.input`, limit: 4 }));
    const input = parsed.data;
    errors.push(...unknownNames(at, meta, input, ctx.facts));
    // the same call after different steps is a different action (verify after the deploy, verify after its undo)
    const key = `${meta.name} ${canonicalJson(input)} after ${dependsOn.join(',')}`;
    const twin = seen.get(key);
    if (twin) errors.push(`${at} repeats step "${twin}" exactly; plan each action once`);
    seen.set(key, id);
    ids.add(id);
    const why = typeof step.why === 'string' && step.why ? step.why.slice(0, 300) : undefined;
    steps.push({ id, fn: meta.name, input, dependsOn, mutates: meta.mutates, ...(why ? { why } : {}), ...(onFailureOf ? { onFailureOf } : {}) });
  });
  if (errors.length) return { ok: false, error: errors.slice(0, 8).join('; ') };
  if (steps.length === 0 && !question && !ctx.allowEmpty) return { ok: false, error: 'the plan has no steps and no question; plan at least one step or ask a question' };
  return { ok: true, value: { steps, ...(question ? { question } : {}), ...(intent ? { intent } : {}) } };
}

/**
 * The run engine's gate: the plan's steps ready to run, or 422 invalid_plan naming what is wrong. A step keeps its
 * input as the planner wrote it (without dryRun): run-steps.ts parses it again when it runs, references resolved.
 */
export function validatePlan(plan: Pick<Plan, 'steps'>, ctx: PlanCheckContext): StepRecord[] {
  const missing = undeployedFunctions(plan, ctx);
  if (missing.length) throw notDeployed(missing, ctx.deployed?.size ?? 0);
  const checked = checkPlan(plan, { allowEmpty: true, ...ctx });
  if (!checked.ok) throw new GanglionError(422, 'invalid_plan', `the plan cannot run: ${checked.error}. Check the functions in stack.yml or rephrase the command`);
  return checked.value.steps.map((s, i) => {
    const { dryRun: _engines, ...input } = plan.steps[i]?.input ?? {};
    return { ...s, input, status: 'pending' };
  });
}

/** The line that adds one function to an OpenFaaS gateway from this repository's stack.yml. */
export const deployCommand = (fn: string) => `faas-cli deploy -f stack.yml --filter ${fn}`;

/** OpenFaaS Community Edition refuses a 16th function. */
const CE_MAX_FUNCTIONS = 15;

/** Functions the plan calls, or its calls rely on (meta.needs), that stack.yml defines but the gateway does not list. */
export function undeployedFunctions(plan: Pick<Plan, 'steps'>, ctx: Pick<PlanCheckContext, 'catalog' | 'deployed'>): string[] {
  const { deployed } = ctx;
  if (!deployed) return [];
  const metas = new Map(ctx.catalog.map((m) => [m.name, m]));
  const fns = plan.steps.flatMap((s) => [s.fn, ...(metas.get(s.fn)?.needs?.(s.input ?? {}) ?? [])]);
  return [...new Set(fns.filter((fn) => metas.has(fn) && !deployed.has(fn)))];
}

/** Nothing ran: the command needs a function that is not deployed; the error says which and the line that adds it. */
function notDeployed(missing: string[], listed: number): GanglionError {
  const names = missing.length === 1 ? `${missing[0]}, which is` : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}, which are`;
  const full = listed >= CE_MAX_FUNCTIONS ? `; the gateway already runs ${listed} functions and OpenFaaS Community Edition allows ${CE_MAX_FUNCTIONS}, so remove one first (faas-cli remove <name>)` : '';
  return new GanglionError(424, 'function_not_deployed',
    `this command needs ${names} not deployed on the gateway; nothing was run or changed. Deploy with: ${missing.map(deployCommand).join(' && ')}${full}`,
    { details: { missing } });
}

type Parsed = { success: true; data: Record<string, unknown> } | { success: false; error: z.ZodError };

/**
 * The input as the function's schema parses it (defaults filled, unknown keys dropped), `dryRun` left to the engine;
 * a mutating step is checked as its preview will run. Input with `{{step.data.x}}` references is checked at run time.
 */
function parseStepInput(meta: FunctionMeta, raw: Record<string, unknown>): Parsed {
  const { dryRun: _engines, ...input } = raw;
  if (hasRefs(input)) return { success: true, data: input };
  const parsed = meta.input.safeParse(fitInput(meta, meta.mutates ? { ...input, dryRun: true } : input));
  if (!parsed.success) return { success: false, error: parsed.error };
  if (!parsed.data || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) return { success: true, data: input };
  const { dryRun: _preview, ...data } = parsed.data as Record<string, unknown>;
  return { success: true, data };
}

const descriptions = new WeakMap<FunctionMeta, Record<string, { description?: string }>>();
function fieldsOf(meta: FunctionMeta): Record<string, { description?: string }> {
  let fields = descriptions.get(meta);
  if (!fields) descriptions.set(meta, (fields = (z.toJSONSchema(meta.input, { io: 'input', unrepresentable: 'any' }).properties ?? {}) as Record<string, { description?: string }>));
  return fields;
}

/** Deployment, namespace and cluster names the step uses that the cluster does not have. */
function unknownNames(at: string, meta: FunctionMeta, input: Record<string, unknown>, facts: ClusterFacts | undefined): string[] {
  if (!facts || facts.unavailable) return [];
  const errors: string[] = [];
  const namespace = typeof input.namespace === 'string' ? input.namespace : undefined;
  for (const [key, value] of Object.entries(input)) {
    // `{{s1.data.name}}` is known only once s1 ran.
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && !hasRefs(v));
    if (key === 'namespace' && facts.namespaces.length) {
      for (const v of values) if (!facts.namespaces.includes(v)) errors.push(`${at}.input.namespace: namespace "${v}" does not exist${closest(v, facts.namespaces)}`);
    } else if ((key === 'cluster' || key === 'clusters') && facts.contexts.length) {
      for (const v of values) if (v !== 'all' && !facts.contexts.includes(v)) errors.push(`${at}.input.${key}: cluster "${v}" is not a kubeconfig context${closest(v, facts.contexts)}`);
    } else if (facts.deployments.length && namesDeployment(meta, key)) {
      const pool = facts.deployments.filter((d) => !namespace || d.namespace === namespace).map((d) => d.name);
      for (const v of values) {
        // Label selectors and phrases ("tier=web", "the web tier") are the function's to resolve.
        if (/[=\s*,]/.test(v) || pool.includes(v) || facts.pods.some((p) => p.name === v)) continue;
        errors.push(`${at}.input.${key}: Deployment "${v}" does not exist${namespace ? ` in namespace ${namespace}` : ''}${closest(v, pool)}`);
      }
    }
  }
  return errors;
}

function namesDeployment(meta: FunctionMeta, key: string): boolean {
  if (key === 'deployment' || key === 'deployments') return true;
  if (key !== 'name' && key !== 'names' && key !== 'app' && key !== 'target') return false;
  // pod-logs' `name` may be a pod, a Job or a close match: its function resolves it, so only Deployment-only fields are checked.
  const description = fieldsOf(meta)[key]?.description ?? '';
  return /deployment/i.test(description) && !/\bpod\b/i.test(description);
}

function closest(value: string, pool: string[]): string {
  const names = closestNames(value, pool, 3);
  return names.length ? `; closest: ${names.join(', ')}` : '';
}
