/** "Deploy placemyparents version 2.0": set a Deployment's image tag (or whole image), with approval. */
import { resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';
import type { Plan } from '../plan.js';

const VERBS = /\b(deploy|ship|release|roll ?out|bump|upgrade|update|push|promote|set the image|change the image|move)\b/;
const IMAGE = /(?:^|\s)((?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._/-]+:[a-z0-9][\w.-]*)(?=\s|$)/;
const VERSION = [
  /\b(?:version|ver|tag|release|build)\s+v?(\d[\w.-]*|[a-z0-9][\w.-]*\d[\w.-]*)/,
  /\bv(\d[\w.-]*)\b/,
  /\bto\s+(\d+(?:\.\d+)+[\w.-]*)\b/,
  /\s(\d+\.\d+(?:\.\d+)?[\w.-]*)\b/,
];

function version(text: string): string | undefined {
  for (const re of VERSION) {
    const v = re.exec(text)?.[1];
    if (v) return v;
  }
  return undefined;
}

function phraseOf(text: string, ver: string | undefined): string | undefined {
  const cleaned = ver ? text.replace(new RegExp(`\\b(?:version|ver|tag|release|build|to)?\\s*v?${ver.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), ' ') : text;
  const of = /\bof\s+(.+)$/.exec(cleaned)?.[1];
  const after = /\b(?:deploy|ship|release|roll ?out|bump|upgrade|update|push|promote)\s+(.+?)(?:\s+(?:to|with|on|now|please)\b.*)?$/.exec(cleaned)?.[1];
  return objectPhrase(of ?? after);
}

export const deploy: Intent = {
  name: 'deploy',
  examples: ['Deploy placemyparents version 2.0', 'bump placemyparents to 2.0', 'ship v2.0 of placemyparents', 'upgrade placemyparents to version 2.0', 'roll out placemyparents 2.0', 'deploy registry.local/placemyparents:2.0'],
  match(raw) {
    const text = tidy(raw);
    if (!VERBS.test(text) || /\b(roll ?back|undo|revert|previous)\b/.test(text)) return undefined;
    const image = IMAGE.exec(text)?.[1];
    const ver = image ? undefined : version(text);
    const score = image || ver ? 0.85 : 0.45;
    return { score, entities: { image, tag: ver, phrase: image ? undefined : phraseOf(text, ver) } };
  },
  build(entities, facts, text): Plan {
    const image = typeof entities.image === 'string' ? entities.image : undefined;
    const tag = typeof entities.tag === 'string' ? entities.tag : undefined;
    const phrase = image ? (image.split('/').pop() ?? image).split(':')[0] : typeof entities.phrase === 'string' ? entities.phrase : undefined;
    const found = resolveTargets(image ? phrase ?? text : text, phrase, facts, { single: true });
    if (found.kind === 'question') return { intent: 'deploy', steps: [], question: found.question };
    const d = found.targets[0];
    if (!d) return { intent: 'deploy', steps: [], question: 'Which Deployment should I deploy?' };
    if (!image && !tag) {
      return { intent: 'deploy', steps: [], question: `Which version of ${d.name} should I deploy? It runs ${d.images.join(', ') || 'an unknown image'} now (say e.g. "deploy ${d.name} version 2.0").` };
    }
    const input: Record<string, unknown> = { name: d.name, namespace: d.namespace, ...(image ? { image } : { tag }) };
    return { intent: 'deploy', steps: [step('s1', 'deploy', input, { mutates: true, why: `set ${d.name}'s image to ${image ?? `tag ${tag}`}, then wait for the rollout` })] };
  },
};
