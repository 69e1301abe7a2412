/**
 * Canary releases: "Canary placemyparents 2.0 at 20%" (start, with approval), "How is the canary doing?" (a read),
 * "Promote the canary" / "Abort the canary" (with approval). The canary is the Deployment `<name>-canary` the canary
 * function made (label track=canary); a second canary, or promoting/aborting none, is answered without a change.
 */
import { deployEntities } from './deploy.js';
import { step, tidy, type Intent } from './intent.js';
import { resolveTargets } from '../target-resolution.js';
import type { ClusterFacts, DeploymentFact, Plan } from '../plan.js';

const CANARY = /\bcanar(y|ies)\b/;
const PERCENT = /\b(?:at|with|to|for)?\s*(\d{1,2})\s*(?:%|percent\b|pct\b)/;

/** The canaries that run: Deployments the canary function made (`<name>-canary`, track=canary). */
export function runningCanaries(facts: ClusterFacts): DeploymentFact[] {
  return facts.deployments.filter((d) => d.labels.track === 'canary' && d.name.endsWith('-canary'));
}

const stableOf = (c: DeploymentFact) => c.name.slice(0, -'-canary'.length);
const versionOf = (c: DeploymentFact) => (c.images[0] ?? '').split(':').pop() ?? '?';

/** Facts without the canaries, so "placemyparents" never resolves to its canary. */
const withoutCanaries = (facts: ClusterFacts): ClusterFacts => ({ ...facts, deployments: facts.deployments.filter((d) => !runningCanaries(facts).includes(d)) });

export const canaryStart: Intent = {
  name: 'canary-start',
  effect: 'change',
  examples: ['Canary placemyparents 2.0 at 20%', 'start a canary of placemyparents 2.2 at 10%', 'canary release placemyparents version 2.0', 'send 20% of traffic to placemyparents 2.0 as a canary'],
  match(raw) {
    const text = tidy(raw);
    if (!CANARY.test(text) || /\b(promote|abort|cancel|stop|remove|delete|end|how|status|doing|compare|metrics)\b/.test(text)) return undefined;
    const percent = PERCENT.exec(text)?.[1];
    const rest = text.replace(PERCENT, ' ').replace(/\b(canary|canaries|release|start|begin|run|launch|send|traffic|of|as|a)\b/g, ' ').replace(/\s+/g, ' ').trim();
    const entities = deployEntities(`deploy ${rest}`);
    return { score: entities.tag || entities.image ? 0.92 : 0.6, entities: { ...entities, percent: percent ? Number(percent) : undefined } };
  },
  build(entities, facts, text): Plan {
    const found = resolveTargets(text, typeof entities.phrase === 'string' ? entities.phrase : undefined, withoutCanaries(facts), { single: true });
    if (found.kind === 'question') return { intent: 'canary-start', steps: [], question: found.question };
    const d = found.targets[0] as DeploymentFact;
    const running = runningCanaries(facts).find((c) => stableOf(c) === d.name && c.namespace === d.namespace);
    if (running) {
      return { intent: 'canary-start', steps: [], question: `A canary of ${d.name} already runs (${versionOf(running)}, deployment ${running.name}); promote or abort it first ("Promote the canary", "Abort the canary"). Nothing was changed.` };
    }
    const image = typeof entities.image === 'string' ? entities.image : undefined;
    const tag = typeof entities.tag === 'string' ? entities.tag : undefined;
    if (!image && !tag) return { intent: 'canary-start', steps: [], question: `Which version of ${d.name} should the canary run? It runs ${d.images.join(', ')} now (say e.g. "Canary ${d.name} 2.0 at 20%").` };
    const percent = typeof entities.percent === 'number' ? entities.percent : 20;
    if (percent < 1 || percent > 50) return { intent: 'canary-start', steps: [], question: `A canary gets 1–50% of requests (asked ${percent}%); to move everything, deploy ${d.name} instead. Nothing was changed.` };
    return { intent: 'canary-start', steps: [step('s1', 'canary', { action: 'start', name: d.name, namespace: d.namespace, ...(image ? { image } : { tag }), percent }, { mutates: true, why: `run ${image ?? tag} beside ${d.name} for ${percent}% of requests, then measure both` })] };
  },
};

export const canaryStatus: Intent = {
  name: 'canary-status',
  effect: 'read',
  examples: ['How is the canary doing?', 'compare the canary with stable', 'canary status', 'is the canary healthy?'],
  match(raw) {
    const text = tidy(raw);
    if (!CANARY.test(text) || /\b(promote|abort|cancel|remove|delete)\b/.test(text)) return undefined;
    return /\b(how|status|doing|compare|comparison|metrics|healthy|results?|going|look|looking|numbers)\b/.test(text) ? { score: 0.9, entities: {} } : undefined;
  },
  build(_entities, facts, text): Plan {
    const canaries = runningCanaries(facts);
    const named = canaries.find((c) => text.toLowerCase().includes(stableOf(c)));
    const c = named ?? (canaries.length === 1 ? canaries[0] : undefined);
    if (!canaries.length) return { intent: 'canary-status', steps: [], question: 'No canary runs, so there is nothing to measure. Start one with e.g. "Canary placemyparents 2.0 at 20%".' };
    if (!c) return { intent: 'canary-status', steps: [], question: `${canaries.length} canaries run (${canaries.map(stableOf).join(', ')}); which one?` };
    return { intent: 'canary-status', steps: [step('s1', 'canary-status', { name: stableOf(c), namespace: c.namespace }, { why: 'request count, success rate and p50/p95 per version from the pods\' own metrics' })] };
  },
};

function finishIntent(action: 'promote' | 'abort', words: RegExp, examples: string[]): Intent {
  return {
    name: `canary-${action}`,
    effect: 'change',
    examples,
    match(raw) {
      const text = tidy(raw);
      return CANARY.test(text) && words.test(text) ? { score: 0.95, entities: {} } : undefined;
    },
    build(_entities, facts, text): Plan {
      const canaries = runningCanaries(facts);
      const named = canaries.find((c) => text.toLowerCase().includes(stableOf(c)));
      const c = named ?? (canaries.length === 1 ? canaries[0] : undefined);
      if (!canaries.length) return { intent: `canary-${action}`, steps: [], question: `No canary runs, so there is nothing to ${action}; nothing was changed. Start one with e.g. "Canary placemyparents 2.0 at 20%".` };
      if (!c) return { intent: `canary-${action}`, steps: [], question: `${canaries.length} canaries run (${canaries.map(stableOf).join(', ')}); which one should I ${action}? Nothing was changed.` };
      const why = action === 'promote' ? `${stableOf(c)} gets ${versionOf(c)} on every pod, then the canary is removed` : `the canary (${versionOf(c)}) is removed, ${stableOf(c)} keeps serving`;
      return { intent: `canary-${action}`, steps: [step('s1', 'canary', { action, name: stableOf(c), namespace: c.namespace }, { mutates: true, why })] };
    },
  };
}

export const canaryPromote = finishIntent('promote', /\b(promote|accept|go ahead with|keep|roll ?out|ship|finish)\b/, ['Promote the canary', 'promote the placemyparents canary', 'the canary looks good, promote it']);
export const canaryAbort = finishIntent('abort', /\b(abort|cancel|stop|remove|delete|kill|drop|roll ?back|end|undo)\b/, ['Abort the canary', 'cancel the canary', 'roll back the canary', 'remove the placemyparents canary']);
