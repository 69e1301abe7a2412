/** Checks a model's answer before anything runs: JSON, known functions, typed arguments, names that exist. */
import type { FunctionMeta } from '../../../function-kit/function-module.js';
import type { ClusterFacts, Plan, PlanStep } from '../plan.js';
import { inputJsonSchemaOf, parseModelInput } from './plan-schema.js';
import { canonicalJson } from '../../../kernel/canonical-json.js';
import { issueLines } from '../../../kernel/zod-issues.js';
import { closestNames } from '../../../cluster/closest-names.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Reads JSON out of a model's text: bare, in a ```json fence, or the outermost {...} inside prose. */
export function safeParseModelJson(text: string): Checked<unknown> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'the answer was empty' };
  const candidates = [trimmed];
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(trimmed);
  if (fenced) candidates.push(fenced[1].trim());
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  let firstError = '';
  for (const c of candidates) {
    try {
      return { ok: true, value: JSON.parse(c) };
    } catch (err) {
      firstError ||= (err as Error).message;
    }
  }
  if (first < 0) return { ok: false, error: `the answer is prose, not JSON (it starts "${trimmed.slice(0, 60).replace(/\s+/g, ' ')}…")` };
  return { ok: false, error: `the answer is not valid JSON (${firstError})` };
}

export interface ValidationContext {
  catalog: FunctionMeta[];
  facts: ClusterFacts;
  /** Step ids that already ran (a re-plan may depend on them). */
  doneIds?: string[];
  /** A re-plan may answer "nothing more to run". */
  allowEmpty?: boolean;
}

/** Validates the parsed answer against the catalog's schemas and the cluster facts; `mutates` comes from the catalog only. */
export function validatePlan(raw: unknown, ctx: ValidationContext): Checked<Plan> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: 'the answer must be a JSON object {"steps": [...]}' };
  const obj = raw as Record<string, unknown>;
  const question = typeof obj.question === 'string' && obj.question.trim() ? obj.question.trim() : undefined;
  const intent = typeof obj.intent === 'string' && obj.intent.trim() ? obj.intent.trim() : undefined;
  if (!Array.isArray(obj.steps)) return { ok: false, error: 'the answer has no "steps" array' };
  const errors: string[] = [];
  const steps: PlanStep[] = [];
  const ids = new Set<string>(ctx.doneIds ?? []);
  const seen = new Map<string, string>();
  obj.steps.forEach((s: unknown, i) => {
    const at = `steps[${i}]`;
    if (!s || typeof s !== 'object' || Array.isArray(s)) return errors.push(`${at} must be an object`);
    const step = s as Record<string, unknown>;
    const id = typeof step.id === 'string' && step.id ? step.id : `s${i + 1}`;
    if (typeof step.fn !== 'string') return errors.push(`${at}.fn is missing`);
    const meta = ctx.catalog.find((m) => m.name === step.fn);
    if (!meta) return errors.push(`${at}.fn: unknown function "${step.fn}"; use one of: ${ctx.catalog.map((m) => m.name).join(', ')}`);
    const dependsOn = Array.isArray(step.dependsOn) ? step.dependsOn.filter((d): d is string => typeof d === 'string') : [];
    for (const d of dependsOn) if (!ids.has(d)) errors.push(`${at}.dependsOn: "${d}" is not an earlier step id`);
    if (ids.has(id)) errors.push(`${at}.id: "${id}" is already used; give each step a new id`);
    if (step.input !== undefined && (typeof step.input !== 'object' || step.input === null || Array.isArray(step.input))) return errors.push(`${at}.input must be an object`);
    const parsed = parseModelInput(meta, step.input ?? {});
    if (!parsed.success) return errors.push(...issueLines(parsed.error, { at: `${at}.input`, limit: 4 }));
    const input = parsed.data;
    errors.push(...unknownNames(at, meta, input, ctx.facts));
    const key = `${meta.name} ${canonicalJson(input)}`;
    const twin = seen.get(key);
    if (twin) errors.push(`${at} repeats step "${twin}" exactly; plan each action once`);
    seen.set(key, id);
    ids.add(id);
    steps.push({ id, fn: meta.name, input, dependsOn, mutates: meta.mutates, ...(typeof step.why === 'string' && step.why ? { why: step.why } : {}) });
  });
  if (errors.length) return { ok: false, error: errors.slice(0, 8).join('; ') };
  if (steps.length === 0 && !question && !ctx.allowEmpty) return { ok: false, error: 'the plan has no steps and no question; plan at least one step or ask a question' };
  return { ok: true, value: { steps, ...(question ? { question } : {}), ...(intent ? { intent } : {}) } };
}

/** Deployment, namespace and cluster names the step uses that the cluster does not have. */
function unknownNames(at: string, meta: FunctionMeta, input: Record<string, unknown>, facts: ClusterFacts): string[] {
  if (facts.unavailable) return [];
  const errors: string[] = [];
  const props = (inputJsonSchemaOf(meta).properties ?? {}) as Record<string, { description?: string }>;
  const namespace = typeof input.namespace === 'string' ? input.namespace : undefined;
  for (const [key, value] of Object.entries(input)) {
    const desc = props[key]?.description ?? '';
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (key === 'namespace' && facts.namespaces.length) {
      for (const v of values) if (!facts.namespaces.includes(v)) errors.push(`${at}.input.namespace: namespace "${v}" does not exist${closest(v, facts.namespaces)}`);
    } else if ((key === 'cluster' || key === 'clusters') && facts.contexts.length) {
      for (const v of values) if (v !== 'all' && !facts.contexts.includes(v)) errors.push(`${at}.input.${key}: cluster "${v}" is not a kubeconfig context${closest(v, facts.contexts)}`);
    } else if (namesDeployment(key, desc) && facts.deployments.length) {
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

function namesDeployment(key: string, description: string): boolean {
  if (key === 'deployment' || key === 'deployments') return true;
  // pod-logs' `name` may be a pod, a Job or a close match: its function resolves it, so only Deployment-only fields are checked.
  return (key === 'name' || key === 'names' || key === 'app' || key === 'target') && /deployment/i.test(description) && !/\bpod\b/i.test(description);
}

function closest(value: string, pool: string[]): string {
  const names = closestNames(value, pool);
  return names.length ? `; closest: ${names.join(', ')}` : '';
}
