/**
 * "Deploy placemyparents version 2.0": set a Deployment's image tag (or whole image), with approval.
 * "… to all clusters": one deploy step per kubeconfig context, in parallel.
 */
import { resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent, type IntentMatch } from './intent.js';
import type { ClusterFacts, DeploymentFact, Plan, PlanStep } from '../plan.js';

const VERBS = /\b(deploy|ship|release|roll ?out|bump|upgrade|update|push|promote|set the image|change the image)\b/;
const IMAGE = /(?:^|\s)((?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._/-]+:[a-z0-9][\w.-]*)(?=\s|$)/;
const VERSION = [
  /\b(?:version|ver|tag|release|build)\s+v?(\d[\w.-]*|[a-z0-9][\w.-]*\d[\w.-]*)/,
  /\bv(\d[\w.-]*)\b/,
  /\bto\s+(\d+(?:\.\d+)+[\w.-]*)\b/,
  /\s(\d+\.\d+(?:\.\d+)?[\w.-]*)\b/,
];
/** "to all 3 clusters", "on every cluster", "everywhere". */
export const ALL_CLUSTERS = /\b(all|every|each)\s+(?:\d+\s+|three\s+|of the\s+)?(clusters?|contexts?)\b|\beverywhere\b|\bacross (?:all )?(?:the )?clusters\b/;

function version(text: string): string | undefined {
  for (const re of VERSION) {
    const v = re.exec(text)?.[1];
    if (v) return v;
  }
  return undefined;
}

function phraseOf(text: string, ver: string | undefined): string | undefined {
  const cleaned = (ver ? text.replace(new RegExp(`\\b(?:version|ver|tag|release|build|to)?\\s*v?${ver.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), ' ') : text)
    .replace(/\b(?:to|on|in|across)\s+(?:all|every|each)\b.*$/, ' ').replace(/\b(and|then)\b.*$/, ' ');
  const of = /\bof\s+(.+)$/.exec(cleaned)?.[1];
  const after = /\b(?:deploy|ship|release|roll ?out|bump|upgrade|update|push|promote)\s+(.+?)(?:\s+(?:to|with|on|now|please)\b.*)?$/.exec(cleaned)?.[1];
  return objectPhrase(of ?? after);
}

/** What a deploy command says: the image or tag, and the words naming the target. */
export function deployEntities(text: string): IntentMatch['entities'] {
  const image = IMAGE.exec(text)?.[1];
  const tag = image ? undefined : version(text);
  return { image, tag, phrase: image ? undefined : phraseOf(text, tag), everywhere: ALL_CLUSTERS.test(text) || undefined };
}

export type DeployPlan = { kind: 'steps'; steps: PlanStep[]; target: DeploymentFact } | { kind: 'question'; question: string };

/** Deploy steps for a command (one per cluster when it says all clusters), or the question to ask instead. */
export function planDeploy(entities: IntentMatch['entities'], facts: ClusterFacts, text: string, firstId = 1, { redeploy = false } = {}): DeployPlan {
  const image = typeof entities.image === 'string' ? entities.image : undefined;
  const tag = typeof entities.tag === 'string' ? entities.tag : undefined;
  const phrase = image ? (image.split('/').pop() ?? image).split(':')[0] : typeof entities.phrase === 'string' ? entities.phrase : undefined;
  const found = resolveTargets(image ? phrase ?? text : text, phrase, facts, { single: true });
  if (found.kind === 'question') return found;
  const d = found.targets[0];
  if (!d) return { kind: 'question', question: 'Which Deployment should I deploy?' };
  if (!image && !tag && redeploy) {
    // "Deploy my app and verify it works" names no version: roll out what it runs now (kubectl rollout restart).
    return { kind: 'steps', steps: [step(`s${firstId}`, 'restart', { name: d.name, namespace: d.namespace }, { mutates: true, why: `no version named: roll out ${d.name}'s current image (${d.images.join(', ')}) again` })], target: d };
  }
  if (!image && !tag) {
    return { kind: 'question', question: `Which version of ${d.name} should I deploy? It runs ${d.images.join(', ') || 'an unknown image'} now (say e.g. "deploy ${d.name} version 2.0").` };
  }
  const change = image ? { image } : { tag };
  const why = `set ${d.name}'s image to ${image ?? `tag ${tag}`}, then wait for the rollout`;
  if (entities.everywhere === true && facts.contexts.length > 1) {
    // Other clusters may keep it in another namespace: name only, the deploy function finds it there.
    const steps = facts.contexts.map((cluster, i) => step(`s${firstId + i}`, 'deploy', { name: d.name, ...change, cluster }, { mutates: true, why: `${why} on ${cluster}` }));
    return { kind: 'steps', steps, target: d };
  }
  return { kind: 'steps', steps: [step(`s${firstId}`, 'deploy', { name: d.name, namespace: d.namespace, ...change }, { mutates: true, why })], target: d };
}

export const deploy: Intent = {
  name: 'deploy',
  effect: 'change',
  examples: ['Deploy placemyparents version 2.0', 'bump placemyparents to 2.0', 'ship v2.0 of placemyparents', 'upgrade placemyparents to version 2.0', 'roll out placemyparents 2.0', 'deploy placemyparents 2.0 to all 3 clusters'],
  match(raw) {
    const text = tidy(raw);
    if (!VERBS.test(text) || /\b(roll ?back|undo|revert|previous|canar(y|ies))\b/.test(text)) return undefined;
    const entities = deployEntities(text);
    return { score: entities.image || entities.tag ? 0.85 : entities.everywhere ? 0.8 : 0.45, entities };
  },
  build(entities, facts, text): Plan {
    const planned = planDeploy(entities, facts, text);
    if (planned.kind === 'question') return { intent: 'deploy', steps: [], question: planned.question };
    return { intent: entities.everywhere === true ? 'multi-cluster-deploy' : 'deploy', steps: planned.steps };
  },
};
