/** What one intent of the embedded planner provides: how people say it, how to recognise it, what plan it makes. */
import type { ClusterFacts, Plan, PlanStep, StepOutcome } from '../plan.js';

export interface IntentMatch {
  /** 0..1: how sure the text asks for this intent (the highest wins). */
  score: number;
  /** What the text says beyond the intent: names, versions, counts. */
  entities: Record<string, string | number | boolean | undefined>;
}

/** What an intent's plan does: reads, changes the cluster (or what Ganglion does on its own), or runs code in a Job. */
export type IntentEffect = 'read' | 'change' | 'run';

export interface Intent {
  name: string;
  /** A request that asks for a change is answered only by a 'change' intent (change-request.ts). */
  effect: IntentEffect;
  /** Kinds of object it changes beyond Deployments and pods (kinds as change-request.ts names them), e.g. configmap. */
  handles?: string[];
  /** Phrasings it understands (docs, tests, the model's few-shot examples). */
  examples: string[];
  match(text: string, facts: ClusterFacts): IntentMatch | undefined;
  /** May return a question, or throw a GanglionError (unknown Deployment names the closest). */
  build(entities: IntentMatch['entities'], facts: ClusterFacts, text: string): Plan;
  /** After results come in: more steps (e.g. deploy once the review says approve), or undefined to carry on. */
  followUp?(entities: IntentMatch['entities'], facts: ClusterFacts, text: string, results: StepOutcome[], plan: Plan): Plan | undefined;
}

/** A plan step with the defaults most steps want. */
export function step(id: string, fn: string, input: Record<string, unknown>, opts: { mutates?: boolean; dependsOn?: string[]; why?: string } = {}): PlanStep {
  return { id, fn, input, dependsOn: opts.dependsOn ?? [], mutates: opts.mutates ?? false, ...(opts.why ? { why: opts.why } : {}) };
}

/** Lower case, curly quotes straightened, trailing punctuation dropped. */
export function tidy(text: string): string {
  return text.toLowerCase().replace(/[’‘]/g, "'").replace(/[?!.,;]+(\s|$)/g, ' ').replace(/\s+/g, ' ').trim();
}

const NUMBER_WORDS: Record<string, number> = { zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, twenty: 20 };

/** "5" or "five" → 5. */
export function toCount(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word.toLowerCase()];
}
export const COUNT = '(\\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)';

/** Words around an object phrase that are not part of its name. */
const FILLER = /(?<![\w-])(the|a|an|my|our|please|pod|pods|deployment|deployments|app|application|service|container|containers|named|called|current|all|of|for|from|in|on)(?![\w-])/g;
export function objectPhrase(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const p = raw.replace(FILLER, ' ').replace(/\s+/g, ' ').trim().replace(/^-+|-+$/g, '');
  return p || undefined;
}
