/**
 * "Alert me if any pod restarts more than 3 times", "I keep checking pod health, automate that": a monitor rule
 * on a schedule with Slack alerts — new behaviour without new code. The `automate` function sets it up (an approved
 * step: it changes what Ganglion does on its own); the `monitor` function then checks it on that schedule.
 */
import type { ClusterFacts } from '../plan.js';
import { step, tidy, toCount, COUNT, type Intent, type IntentMatch } from './intent.js';

const RULES: [RegExp, string][] = [
  [/\brestart\w*\b/, 'restarts'],
  [/\bnode\w*\b.*\b(not ready|notready|down|offline)\b/, 'node-not-ready'],
  [/\b(not ready|unready)\b/, 'not-ready'],
  [/\bdeployments?\b.*\b(unavailable|down)\b/, 'deployment-unavailable'],
  [/\b(pod health|health|healthy|unhealthy|crash\w*|failing)\b/, 'pod-health'],
];

function schedule(text: string): string {
  const every = new RegExp(`\\bevery\\s+${COUNT}?\\s*(minutes?|mins?|hours?)\\b`).exec(text);
  if (!every) return '*/5 * * * *';
  const n = toCount(every[1]) ?? 1;
  return /^h/.test(every[2] ?? '') ? `0 */${n} * * *` : `*/${n} * * * *`;
}

/** Which rule the words name, with its numbers: "restarts more than 5 times in apps" → restarts, 5, apps. */
export function ruleEntities(text: string, facts: ClusterFacts): IntentMatch['entities'] {
  const rule = RULES.find(([re]) => re.test(text))?.[1] ?? 'pod-health';
  const threshold = toCount(new RegExp(`\\b(?:more than|over|above|exceeds?|>)\\s*${COUNT}(?! ?min)`).exec(text)?.[1]);
  const minutes = toCount(new RegExp(`\\b(?:for|more than|over|longer than)\\s*${COUNT}\\s*(?:minutes?|mins?)\\b`).exec(text)?.[1]);
  const ns = /\b(?:in|of) (?:the )?(?:namespace )?([a-z0-9-]+)(?: namespace)?\b/.exec(text)?.[1];
  return { rule, threshold: rule === 'restarts' ? threshold ?? 3 : undefined, minutes, namespace: ns && facts.namespaces.includes(ns) ? ns : undefined };
}

/** The rule's fields of an automate step's input. */
export function ruleInput(entities: IntentMatch['entities']): Record<string, unknown> {
  return {
    rule: entities.rule,
    ...(typeof entities.threshold === 'number' ? { threshold: entities.threshold } : {}),
    ...(typeof entities.minutes === 'number' ? { minutes: entities.minutes } : {}),
    ...(typeof entities.namespace === 'string' ? { namespace: entities.namespace } : {}),
  };
}

export const monitor: Intent = {
  name: 'monitor',
  effect: 'change',
  examples: ['Alert me if any pod restarts more than 3 times', 'I keep having to manually check pod health. Can you automate that?', 'notify me when a node goes down', 'watch for pods that are not ready and ping slack', 'tell me when a deployment becomes unavailable'],
  match(raw, facts) {
    const text = tidy(raw);
    const alerting = /\b(alert|notify|warn|ping|page|tell|let me know|message)\b.*\b(if|when|whenever)\b/.test(text) || /\b(watch for|monitor|keep an eye)\b/.test(text);
    const automate = /\b(automate|automatically|keep having to|every time i|manually)\b/.test(text) && /\b(check|health|watch|monitor)\b/.test(text);
    if (!alerting && !automate) return undefined;
    const notify = /\bwebhook\b/.test(text) ? (/\bslack\b/.test(text) ? 'both' : 'webhook') : 'slack';
    return { score: 0.95, entities: { ...ruleEntities(text, facts), schedule: schedule(text), notify } };
  },
  build(entities) {
    const { rule, ...rest } = ruleInput(entities);
    const input: Record<string, unknown> = { what: 'monitor', rule, schedule: entities.schedule, notify: entities.notify, ...rest };
    return { intent: 'monitor', steps: [step('s1', 'automate', input, { mutates: true, why: `check ${String(entities.rule)} on ${String(entities.schedule)} and alert once per incident` })] };
  },
};
