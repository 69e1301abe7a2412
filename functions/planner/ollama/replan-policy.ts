/** When a result is worth asking the model again, and when a re-plan is a loop. */
import type { FunctionMeta } from '../../../function-kit/function-module.js';
import type { Plan, PlanStep } from '../plan.js';
import { parseModelInput } from './plan-schema.js';
import { canonicalJson } from '../../../kernel/canonical-json.js';

/** Why a result changes the picture: it failed, came back empty, or carries a review verdict (the run engine's definition). */
export { pictureChange as surprise } from '../result-picture.js';

export function stepKey(step: Pick<PlanStep, 'fn' | 'input'>): string {
  return `${step.fn} ${canonicalJson(step.input)}`;
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
