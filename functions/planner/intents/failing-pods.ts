/** "List all failing pods": every unhealthy pod with the reason a person acts on. */
import { mentionedDeployments } from '../target-resolution.js';
import { step, tidy, type Intent } from './intent.js';

const TROUBLE = /\b(fail\w*|broken|broke|crash\w*|unhealthy|errors?|erroring|wrong|problems?|issues?|pending|stuck|restart(?:ing|s)|backoff|oom\w*|dying|dead|not (?:running|ready|healthy|working|starting))\b|n't (?:running|ready|healthy|working|starting)\b/;

export const failingPods: Intent = {
  name: 'failing-pods',
  effect: 'read',
  examples: ['List all failing pods', "what's broken?", 'which pods are crashing', 'any unhealthy pods?', "show me pods that aren't running", 'what is wrong in the apps namespace'],
  match(raw, facts) {
    const text = tidy(raw);
    if (!TROUBLE.test(text) || /\b(commit|branch|code|logs?)\b/.test(text)) return undefined;
    if (/\b(restart|reboot|bounce)\b/.test(text) && !/\brestart(ing|s)\b/.test(text)) return undefined;
    const podWords = /\b(pods?|containers?|workloads?|deployments?)\b/.test(text);
    const asks = /\b(what|which|any|list|show|find|get|are|is)\b/.test(text);
    const score = podWords ? 0.85 : asks ? 0.75 : 0.5;
    const ns = /\b(?:in|from) (?:the )?(?:namespace )?([a-z0-9-]+)(?: namespace)?\b/.exec(text)?.[1];
    return { score, entities: { namespace: ns && facts.namespaces.includes(ns) ? ns : undefined } };
  },
  build(entities, facts, text) {
    // "why is api-server crashing?": the pod's state and its logs, read side by side.
    const named = mentionedDeployments(text, facts.deployments);
    const d = named.length === 1 ? named[0] : undefined;
    const namespace = entities.namespace ?? d?.namespace;
    const steps = [step('s1', 'failing-pods', namespace ? { namespace } : {}, { why: 'every unhealthy pod and why' })];
    if (d) steps.push(step('s2', 'pod-logs', { name: d.name, namespace: d.namespace }, { why: `what ${d.name} printed before it failed` }));
    return { intent: 'failing-pods', steps };
  },
};
