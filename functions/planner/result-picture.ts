/**
 * Which step results change the picture — worth showing the planner again — and which re-planned steps repeat one
 * that already ran (a loop). Pure functions: the run engine and the Ollama planner share this one definition.
 */
import type { FunctionMeta } from '../../function-kit/function-module.js';
import type { PlanStep, StepOutcome } from './plan.js';
import { checkInput } from './step-input.js';
import { canonicalJson } from '../../kernel/canonical-json.js';

/** Why a result changes the picture: it failed, came back empty, or carries a review verdict; undefined otherwise. */
export function pictureChange(result: StepOutcome): string | undefined {
  if (result.status === 'failed') return `step ${result.stepId} (${result.fn}) failed${result.error ? `: ${result.error.message}` : ''}`;
  const verdict = verdictOf(result.data);
  if (verdict !== undefined) return `step ${result.stepId} (${result.fn}) gave the verdict "${verdict}"`;
  if (isEmpty(result.data)) return `step ${result.stepId} (${result.fn}) found nothing`;
  return undefined;
}

/** The `verdict` a review-like step reports in its data, when it reports one. */
export function verdictOf(data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const verdict = (data as Record<string, unknown>).verdict;
  return typeof verdict === 'string' ? verdict : undefined;
}

/** An empty list, an empty object, or only empty lists and zero counts (`{pods: []}`, `{total: 0}`). */
function isEmpty(data: unknown): boolean {
  if (data === undefined || data === null) return false;
  if (Array.isArray(data)) return data.length === 0;
  if (typeof data !== 'object') return false;
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) return true;
  const arrays = entries.map(([, v]) => v).filter(Array.isArray);
  const counts = entries.filter(([k, v]) => /^(count|total|matches|found)$/i.test(k) && typeof v === 'number');
  return (arrays.length > 0 && arrays.every((a) => a.length === 0) && counts.every(([, v]) => v === 0)) || (counts.length > 0 && counts.every(([, v]) => v === 0) && arrays.length === 0);
}

/**
 * The first new step that repeats one that already ran, with the id it ran under. Inputs are compared as the
 * function's schema parses them (defaults filled, dryRun left out), so `{name}` and `{name, tailLines: 100}` match
 * when 100 is the default.
 */
export function repeatedRun(next: Pick<PlanStep, 'id' | 'fn' | 'input'>[], ran: Pick<PlanStep, 'id' | 'fn' | 'input'>[], catalog: FunctionMeta[]): { step: Pick<PlanStep, 'id' | 'fn' | 'input'>; ranAs: string } | undefined {
  const key = (s: Pick<PlanStep, 'fn' | 'input'>) => {
    const meta = catalog.find((m) => m.name === s.fn);
    const checked = meta ? checkInput(meta, meta.mutates ? { ...s.input, dryRun: false } : s.input) : undefined;
    const { dryRun: _d, ...input } = checked?.ok ? checked.value : s.input;
    return `${s.fn} ${canonicalJson(input)}`;
  };
  const seen = new Map(ran.map((s) => [key(s), s.id]));
  for (const step of next) {
    const ranAs = seen.get(key(step));
    if (ranAs) return { step, ranAs };
  }
  return undefined;
}
