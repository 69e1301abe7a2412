/**
 * Checks a plan before anything runs: every function exists, inputs parse against its schema, dependencies
 * exist and form no cycle. Whether a step mutates comes from the function's own metadata, never from the plan.
 */
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { closestNames } from '../../cluster/closest-names.js';
import type { Plan } from './plan.js';
import type { StepRecord } from './run-store.js';
import { checkInput, hasRefs } from './step-input.js';

const invalid = (message: string) => new GanglionError(422, 'invalid_plan', message);

export function validatePlan(plan: Pick<Plan, 'steps'>, catalog: FunctionMeta[], existing: Set<string> = new Set()): StepRecord[] {
  const metas = new Map(catalog.filter((m) => m.name !== 'planner').map((m) => [m.name, m]));
  const ids = new Set(existing);
  const out: StepRecord[] = [];
  if (plan.steps.length > 50) throw invalid(`the plan has ${plan.steps.length} steps; at most 50 run in one go`);
  for (const s of plan.steps) {
    if (!s.id || ids.has(s.id)) throw invalid(`step id "${s.id}" is empty or used twice`);
    ids.add(s.id);
    const meta = metas.get(s.fn);
    if (!meta) {
      const close = closestNames(s.fn, [...metas.keys()], 3);
      throw invalid(`the plan uses function "${s.fn}", which is not deployed${close.length ? `; closest: ${close.join(', ')}` : ''}. Add it to stack.yml or rephrase the command`);
    }
    const input = s.input && typeof s.input === 'object' && !Array.isArray(s.input) ? s.input : {};
    if (!hasRefs(input)) {
      const checked = checkInput(meta, meta.mutates ? { ...input, dryRun: true } : input);
      if (!checked.ok) throw invalid(`step ${s.id}: ${checked.error}`);
    }
    // A plan that sets dryRun itself gets no say: the engine previews and applies in its own phases.
    const { dryRun: _ignored, ...clean } = input as Record<string, unknown>;
    out.push({ id: s.id, fn: s.fn, input: clean, dependsOn: [...new Set(s.dependsOn ?? [])], mutates: meta.mutates, ...(s.why ? { why: s.why.slice(0, 300) } : {}), status: 'pending' });
  }
  for (const s of out) {
    const missing = s.dependsOn.filter((d) => !ids.has(d));
    if (missing.length) throw invalid(`step ${s.id} depends on unknown step ${missing.join(', ')}`);
  }
  // Kahn's algorithm over the new steps: anything left over sits on a cycle.
  const indegree = new Map(out.map((s) => [s.id, s.dependsOn.filter((d) => !existing.has(d)).length]));
  const queue = out.filter((s) => indegree.get(s.id) === 0).map((s) => s.id);
  let seen = 0;
  while (queue.length) {
    const id = queue.shift() as string;
    seen++;
    for (const s of out) if (s.dependsOn.includes(id)) {
      const n = (indegree.get(s.id) ?? 0) - 1;
      indegree.set(s.id, n);
      if (n === 0) queue.push(s.id);
    }
  }
  if (seen !== out.length) throw invalid(`the plan's dependencies form a cycle (${out.filter((s) => (indegree.get(s.id) ?? 0) > 0).map((s) => s.id).join(', ')})`);
  return out;
}
