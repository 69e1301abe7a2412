/** "Sync config from prod to staging": ConfigMap diff between two clusters (or namespaces), approval, apply. */
import { step, tidy, type Intent } from './intent.js';

export const configSync: Intent = {
  name: 'config-sync',
  examples: ['Sync config from prod to staging', 'copy the configmaps from prod to staging', 'make staging config match prod', 'sync configuration and secrets from prod into staging'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(config\w*|configmaps?|settings|secrets)\b/.test(text) || !/\b(sync\w*|copy|match|mirror|replicate|promote)\b/.test(text)) return undefined;
    const ft = /\bfrom ([\w.-]+) (?:to|into|onto) ([\w.-]+)/.exec(text);
    const match = /\bmake ([\w.-]+)(?: config\w*)? match ([\w.-]+)/.exec(text);
    const from = ft?.[1] ?? match?.[2];
    const to = ft?.[2] ?? match?.[1];
    return { score: 0.9, entities: { from, to, secrets: /\bsecrets?\b/.test(text) || undefined } };
  },
  build(entities, facts) {
    const { from, to } = entities;
    if (typeof from !== 'string' || typeof to !== 'string') {
      return { intent: 'config-sync', steps: [], question: `Sync config from which cluster to which? Known contexts: ${facts.contexts.join(', ') || '(none)'}.` };
    }
    const input: Record<string, unknown> = { from, to, ...(entities.secrets === true ? { secrets: true } : {}) };
    return { intent: 'config-sync', steps: [step('s1', 'config-sync', input, { mutates: true, why: `ConfigMaps of ${from} applied to ${to}, diff shown first` })] };
  },
};
