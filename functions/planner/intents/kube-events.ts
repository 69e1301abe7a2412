/**
 * "show me the events for api-server", "what changed in the last hour?", "warning events in apps": one kube-events
 * read, the object resolved against the live cluster. Changes Ganglion itself made are in its audit log: said, not read.
 */
import { mentionedDeployments, namespaceHint } from '../target-resolution.js';
import { step, tidy, toCount, COUNT, type Intent } from './intent.js';

const CHANGED = /\bwhat(?:'s| has| have)? (?:changed|happened)\b|\b(?:recent|latest) (?:changes|events)\b|\bchanges? (?:in|over|during|since) (?:the )?(?:last|past)\b/;
const UNIT_SECONDS: Record<string, number> = { second: 1, sec: 1, minute: 60, min: 60, hour: 3600, hr: 3600, day: 86_400, week: 604_800 };
const WINDOW = new RegExp(`\\b(?:last|past|previous)\\s+(?:${COUNT}\\s+)?(second|sec|minute|min|hour|hr|day|week)s?\\b|\\bsince (?:an? )?(hour|day|week) ago\\b|\\btoday\\b`);
const ABOUT = /\bevents?\s+(?:for|of|about|on|from)\s+(?:the\s+)?(?:(pod|node|deployment|job|service|statefulset|daemonset|replicaset)\s+)?([a-z0-9][-a-z0-9.]*)/;

/** "the last hour" → 3600; "the past 30 minutes" → 1800; "today" → a day. */
export function windowSeconds(text: string): number | undefined {
  const m = WINDOW.exec(text);
  if (!m) return undefined;
  if (m[0] === 'today') return 86_400;
  const unit = m[2] ?? m[3] ?? '';
  return (toCount(m[1]) ?? 1) * (UNIT_SECONDS[unit] ?? 3600);
}

export const kubeEvents: Intent = {
  name: 'kube-events',
  effect: 'read',
  examples: ['show me the events for api-server', 'what changed in the last hour?', 'warning events in apps', 'events of node pi-2 in the last 30 minutes'],
  match(raw) {
    const text = tidy(raw);
    if (/\bevents?\b/.test(text) && !/\b(alert|notify|when|whenever|if|every)\b/.test(text)) return { score: 0.85, entities: { what: 'events' } };
    if (CHANGED.test(text)) return { score: 0.85, entities: { what: 'changes' } };
    return undefined;
  },
  build(entities, facts, text) {
    const t = tidy(text);
    const input: Record<string, unknown> = {};
    const since = windowSeconds(t) ?? (entities.what === 'changes' ? 3600 : undefined);
    if (since) input.sinceSeconds = since;
    if (/\b(warnings?|problems?|errors?)\b/.test(t)) input.warningsOnly = true;
    const about = ABOUT.exec(t);
    const [d] = mentionedDeployments(text, facts.deployments);
    const pod = facts.pods.find((p) => about?.[2] === p.name);
    if (d) Object.assign(input, { name: d.name, namespace: d.namespace });
    else if (pod) Object.assign(input, { name: pod.name, namespace: pod.namespace });
    else if (about && !facts.namespaces.includes(about[2] ?? '') && !/^(the|last|past|namespace|today)$/.test(about[2] ?? '')) {
      input.name = about[2];
      if (about[1]) input.kind = `${about[1][0]?.toUpperCase()}${about[1].slice(1)}`.replace('set', 'Set');
    }
    const ns = input.namespace ?? namespaceHint(` ${t} `, facts) ?? (about && facts.namespaces.includes(about[2] ?? '') ? about[2] : undefined);
    if (ns) input.namespace = ns;
    const conclusion = entities.what === 'changes' ? 'These are the changes the cluster recorded as events; the changes Ganglion made, with who approved them, are in its audit log (`ganglion audit`).' : undefined;
    return { intent: 'kube-events', steps: [step('s1', 'kube-events', input, { why: input.name ? `what happened to ${String(input.name)} and what it owns` : 'what the cluster recorded' })], ...(conclusion ? { conclusion } : {}) };
  },
};
