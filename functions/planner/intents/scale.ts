/** "Scale the web tier to 5 replicas": current → target for each Deployment the phrase means, with approval. */
import { mentionedDeployments, resolveTargets } from '../target-resolution.js';
import { COUNT, objectPhrase, step, tidy, toCount, type Intent } from './intent.js';
import type { ClusterFacts, Plan } from '../plan.js';
import { NAME_MARK } from './object-names.js';

const UNITS = '(?:replicas?|pods?|instances?|copies|nodes?)';
const PATTERNS: { re: RegExp; count: number; phrase: number }[] = [
  { re: new RegExp(`\\b(?:scale|resize)\\s+(?:up|down|out|in)?\\s*(.+?)\\s+(?:up |down |back )?(?:to|at)\\s+${COUNT}\\b`), phrase: 1, count: 2 },
  { re: new RegExp(`\\b(?:set|make|put|change|bump|take|bring|increase|decrease|reduce|grow|shrink)\\s+(.+?)\\s+(?:up |down |back )?(?:to|at)\\s+${COUNT}\\s*${UNITS}?\\b`), phrase: 1, count: 2 },
  { re: new RegExp(`\\b(?:give me|run|i want|i need|want|need|have|use|keep)\\s+${COUNT}\\s+(?:${UNITS}\\s+(?:of|for)\\s+)?(.+?)(?:\\s+${UNITS})?$`), phrase: 2, count: 1 },
  { re: new RegExp(`\\b${COUNT}\\s+${UNITS}\\s+(?:of|for)\\s+(.+)$`), phrase: 2, count: 1 },
  { re: new RegExp(`\\b(?:scale|resize)\\s+(.+?)\\s+${COUNT}\\s*${UNITS}?$`), phrase: 1, count: 2 },
  // "make the web tier 5 replicas", "have placemyparents run 3 pods"
  { re: new RegExp(`\\b(?:make|set|have|keep|put)\\s+(.+?)\\s+(?:run\\s+|have\\s+|at\\s+)?${COUNT}\\s+${UNITS}\\b`), phrase: 1, count: 2 },
];

/** "bring the web tier down to 2": no unit, but the words name a tier or a Deployment, and 2 is not a version (2.0). */
function namesWorkload(phrase: string, text: string, facts: ClusterFacts): boolean {
  if (new RegExp(`\\b(?:to|at)\\s+${COUNT}[.:]\\w`).test(text)) return false;
  // NAME_MARK: the planner also matches the words with names masked (object-names.ts)
  return new RegExp(`\\b(tier|layer|stack|${NAME_MARK})\\b`).test(phrase) || mentionedDeployments(phrase, facts.deployments).length > 0;
}

export const scale: Intent = {
  name: 'scale',
  effect: 'change',
  examples: ['Scale the web tier to 5 replicas', 'set the web tier to 5 replicas', 'bring the web tier down to 2', 'make the web tier 5 replicas', 'give me 5 web pods', 'scale placemyparents to 2', 'run 3 copies of placemyparents', 'bump api-server up to 4 instances'],
  match(raw, facts) {
    const text = tidy(raw);
    const mentionsScale = /\b(scale|resize|replicas?|instances|copies)\b/.test(text);
    for (const { re, count, phrase } of PATTERNS) {
      const m = re.exec(text);
      const n = toCount(m?.[count]);
      if (!m || n === undefined) continue;
      if (!mentionsScale && !new RegExp(`${UNITS}`).test(text) && !namesWorkload(m[phrase] ?? '', text, facts)) continue;
      return { score: mentionsScale ? 0.9 : 0.8, entities: { replicas: n, phrase: objectPhrase((m[phrase] ?? '').replace(new RegExp(`\\b${UNITS}\\b`, 'g'), ' ')) } };
    }
    return mentionsScale && /\bscale\b/.test(text) ? { score: 0.6, entities: { phrase: objectPhrase(/\bscale\s+(?:up|down)?\s*(.+)$/.exec(text)?.[1]) } } : undefined;
  },
  build(entities, facts, text): Plan {
    const phrase = typeof entities.phrase === 'string' ? entities.phrase : undefined;
    const found = resolveTargets(text, phrase, facts);
    if (found.kind === 'question') return { intent: 'scale', steps: [], question: found.question };
    if (typeof entities.replicas !== 'number') {
      return { intent: 'scale', steps: [], question: `How many replicas should ${found.targets.map((d) => d.name).join(', ')} have? (now ${found.targets.map((d) => d.replicas).join(', ')})` };
    }
    const replicas = entities.replicas;
    const steps = found.targets.map((d, i) => step(`s${i + 1}`, 'scale', { name: d.name, namespace: d.namespace, replicas }, { mutates: true, why: `${d.name}: replicas ${d.replicas} → ${replicas}` }));
    return { intent: 'scale', steps };
  },
};
