/** "Sync config from prod to staging": ConfigMap diff between two clusters (or namespaces), approval, apply. */
import { step, tidy, type Intent } from './intent.js';

/** Words that end a list of Secret names ("the secrets db-creds and api-key from prod …"). */
const NOT_A_NAME = new Set(['from', 'to', 'into', 'onto', 'in', 'too', 'as', 'also', 'and', 'the', 'named', 'called', 'with', 'of']);

/**
 * The Secrets a command names: "the secret db-creds", "secrets db-creds and api-key", "the db-creds secret". Secrets
 * are copied only when named: "and secrets" alone names none (build asks which).
 */
export function secretNames(text: string): string[] | undefined {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bsecrets?\s+(?:named\s+|called\s+)?([\w.,\s-]+)/g)) {
    for (const word of (m[1] ?? '').split(/[\s,]+/)) {
      if (word === 'and' || word === '') continue;
      if (NOT_A_NAME.has(word) || !/^[a-z0-9][a-z0-9.-]*$/.test(word)) break;
      names.add(word);
    }
  }
  for (const m of text.matchAll(/\bthe ([a-z0-9][a-z0-9.-]*) secret\b/g)) if (m[1] && !NOT_A_NAME.has(m[1])) names.add(m[1]);
  if (names.size) return [...names];
  return /\bsecrets?\b/.test(text) ? [] : undefined;
}

export const configSync: Intent = {
  name: 'config-sync',
  effect: 'change',
  handles: ['configmap', 'secret'],
  examples: ['Sync config from prod to staging', 'copy the configmaps from prod to staging', 'make staging config match prod', 'sync config and the secret placemyparents-db from prod into staging'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(config\w*|configmaps?|settings|secrets?)\b/.test(text) || !/\b(sync\w*|copy|match|mirror|replicate|promote)\b/.test(text)) return undefined;
    const ft = /\bfrom ([\w.-]+) (?:to|into|onto) ([\w.-]+)/.exec(text);
    const match = /\bmake ([\w.-]+)(?: config\w*)? match ([\w.-]+)/.exec(text);
    const from = ft?.[1] ?? match?.[2];
    const to = ft?.[2] ?? match?.[1];
    // entities hold scalars: the names comma-joined, '' when Secrets are mentioned but none is named
    return { score: 0.9, entities: { from, to, secrets: secretNames(text)?.join(',') } };
  },
  build(entities, facts) {
    const { from, to, secrets } = entities;
    if (typeof from !== 'string' || typeof to !== 'string') {
      return { intent: 'config-sync', steps: [], question: `Sync config from which cluster to which? Known contexts: ${facts.contexts.join(', ') || '(none)'}.` };
    }
    const named = typeof secrets === 'string' ? secrets.split(',').filter(Boolean) : undefined;
    if (named && !named.length) {
      return { intent: 'config-sync', steps: [], question: `Which Secrets? config-sync copies only Secrets named one by one, e.g. "sync config and the secret placemyparents-db from ${from} to ${to}".` };
    }
    const input: Record<string, unknown> = { from, to, ...(named?.length ? { secrets: named } : {}) };
    return { intent: 'config-sync', steps: [step('s1', 'config-sync', input, { mutates: true, why: `ConfigMaps${named?.length ? ` and the Secrets ${named.join(', ')}` : ''} of ${from} applied to ${to}, diff shown first` })] };
  },
};
