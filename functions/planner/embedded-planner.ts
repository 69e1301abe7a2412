/** The embedded planner: deterministic, no model. The best-scoring intent builds the plan from live cluster facts. */
import { GanglionError } from '../../kernel/errors.js';
import { INTENTS, type Intent, type IntentMatch } from './intents/index.js';
import type { ClusterFacts, Planner, PlannerOutcome } from './plan.js';

/** Below this nothing is understood: better to ask than to act on a weak guess. */
const MIN_SCORE = 0.35;

export interface RankedIntent {
  intent: Intent;
  match: IntentMatch;
}

/** Every intent that recognises the text, best first. */
export function rankIntents(text: string, facts: ClusterFacts, intents: Intent[] = INTENTS): RankedIntent[] {
  const ranked: RankedIntent[] = [];
  for (const intent of intents) {
    const match = intent.match(text, facts);
    if (match && match.score >= MIN_SCORE) ranked.push({ intent, match });
  }
  return ranked.sort((a, b) => b.match.score - a.match.score);
}

export function createEmbeddedPlanner({ intents = INTENTS }: { intents?: Intent[] } = {}): Planner {
  return {
    name: 'embedded',
    async plan({ text, facts }): Promise<PlannerOutcome> {
      const trimmed = text.trim();
      if (!trimmed) throw new GanglionError(400, 'empty_command', 'the command is empty; say what to do, e.g. "Show me cluster status"');
      const [best] = rankIntents(trimmed, facts, intents);
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
