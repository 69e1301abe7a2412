/**
 * The embedded planner: deterministic, no model. A request that asks for a change is answered only by an intent that
 * changes things, or by "I can't … yet; nothing was changed"; otherwise the best-scoring intent builds the plan from
 * live cluster facts. Intents must recognise the words with object names masked, so a name is never an intent word.
 */
import { GanglionError } from '../../kernel/errors.js';
import { INTENTS, type Intent, type IntentMatch } from './intents/index.js';
import { askedChange, type ChangeAsk } from './intents/change-request.js';
import { cannotPlan } from './intents/cannot.js';
import { maskNames } from './intents/object-names.js';
import type { ClusterFacts, Planner, PlannerOutcome } from './plan.js';

/** Below this nothing is understood: better to ask than to act on a weak guess. */
const MIN_SCORE = 0.35;
/** Kinds every change intent resolves by name (people say "the api service" for its Deployment). */
const WORKLOAD_KINDS = new Set(['pod', 'deployment', 'image', 'service']);

export interface RankedIntent {
  intent: Intent;
  match: IntentMatch;
}

/** Every intent that recognises the text, also with its object names masked, best first. */
export function rankIntents(text: string, facts: ClusterFacts, intents: Intent[] = INTENTS): RankedIntent[] {
  const masked = maskNames(text, facts);
  const ranked: RankedIntent[] = [];
  for (const intent of intents) {
    const match = intent.match(text, facts);
    if (!match || match.score < MIN_SCORE) continue;
    const unnamed = intent.match(masked, facts);
    if (unnamed && unnamed.score >= MIN_SCORE) ranked.push({ intent, match });
  }
  return ranked.sort((a, b) => b.match.score - a.match.score);
}

/** A change intent may answer a change request when it handles every kind of object the request names. */
function answers(r: RankedIntent, ask: ChangeAsk): boolean {
  if (r.intent.effect !== 'change') return false;
  return ask.kinds.every((k) => WORKLOAD_KINDS.has(k) || (r.intent.handles ?? []).includes(k));
}

export function createEmbeddedPlanner({ intents = INTENTS }: { intents?: Intent[] } = {}): Planner {
  return {
    name: 'embedded',
    async plan({ text, facts }): Promise<PlannerOutcome> {
      const trimmed = text.trim();
      if (!trimmed) throw new GanglionError(400, 'empty_command', 'the command is empty; say what to do, e.g. "Show me cluster status"');
      const change = askedChange(trimmed, facts);
      const ranked = rankIntents(trimmed, facts, intents);
      const [best] = change ? ranked.filter((r) => answers(r, change)) : ranked;
      if (!best && change) return { planner: 'embedded', plan: cannotPlan(change, facts) };
      if (!best) {
        const examples = intents.slice(0, 7).map((i) => `"${i.examples[0]}"`).join(', ');
        return { planner: 'embedded', plan: { steps: [], question: `I don't know how to do "${trimmed}" yet. I can, for example: ${examples}.` } };
      }
      const plan = best.intent.build(best.match.entities, facts, trimmed);
      return { planner: 'embedded', plan: { ...plan, intent: plan.intent ?? best.intent.name } };
    },
    async replan({ text, facts, results, plan }) {
      const [best] = rankIntents(text.trim(), facts, intents);
      const next = best?.intent.followUp?.(best.match.entities, facts, text.trim(), results, plan);
      return next && (next.steps.length || next.conclusion) ? { planner: 'embedded', plan: next } : undefined;
    },
  };
}
