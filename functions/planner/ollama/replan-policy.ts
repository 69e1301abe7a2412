/** When a result is worth asking the model again, and when a re-plan is a loop. */
import type { FunctionMeta } from '../../../runtime/function-module.js';
import type { Plan, PlanStep, StepOutcome } from '../plan.js';
import { parseModelInput } from './plan-schema.js';
import { stableJson } from './plan-validation.js';

/** Why a result changes the picture: it failed, came back empty, or carries a review verdict. */
export function surprise(result: StepOutcome): string | undefined {
  if (result.status === 'failed') return `step ${result.stepId} (${result.fn}) failed${result.error ? `: ${result.error.message}` : ''}`;
  const data = result.data;
  if (data && typeof data === 'object' && !Array.isArray(data) && typeof (data as Record<string, unknown>).verdict === 'string') {
    return `step ${result.stepId} (${result.fn}) gave the verdict "${String((data as Record<string, unknown>).verdict)}"`;
  }
  if (isEmpty(data)) return `step ${result.stepId} (${result.fn}) found nothing`;
  return undefined;
}

function isEmpty(data: unknown): boolean {
  if (data === undefined || data === null) return false;
  if (Array.isArray(data)) return data.length === 0;
  if (typeof data !== 'object') return false;
  const values = Object.values(data as Record<string, unknown>);
  if (values.length === 0) return true;
  const arrays = values.filter(Array.isArray);
  const counts = Object.entries(data as Record<string, unknown>).filter(([k, v]) => /^(count|total|matches|found)$/i.test(k) && typeof v === 'number');
  return (arrays.length > 0 && arrays.every((a) => a.length === 0) && counts.every(([, v]) => v === 0)) || (counts.length > 0 && counts.every(([, v]) => v === 0) && arrays.length === 0);
}

export function stepKey(step: Pick<PlanStep, 'fn' | 'input'>): string {
  return `${step.fn} ${stableJson(step.input)}`;
}

/**
 * The first new step that repeats one that already ran, with the id it ran under. Inputs are compared after the
 * function's schema filled in defaults, so `{name}` and `{name, timeoutSeconds: 60}` are the same step.
 */
export function repeatedStep(next: Plan, ran: Pick<PlanStep, 'id' | 'fn' | 'input'>[], catalog: FunctionMeta[]): { step: PlanStep; ranAs: string } | undefined {
  const normal = (s: Pick<PlanStep, 'fn' | 'input'>) => {
    const meta = catalog.find((m) => m.name === s.fn);
    const parsed = meta ? parseModelInput(meta, s.input) : undefined;
    return stepKey({ fn: s.fn, input: parsed?.success ? parsed.data : s.input });
  };
  const seen = new Map(ran.map((s) => [normal(s), s.id]));
  for (const step of next.steps) {
    const ranAs = seen.get(normal(step));
    if (ranAs) return { step, ranAs };
  }
  return undefined;
}
