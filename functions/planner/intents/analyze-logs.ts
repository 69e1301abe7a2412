/** "Analyze logs, find anomalies, suggest fixes": error patterns across pods, grouped, with a fix each. */
import { step, tidy, type Intent } from './intent.js';

export const analyzeLogs: Intent = {
  name: 'analyze-logs',
  effect: 'read',
  examples: ['Analyze logs, find anomalies, suggest fixes', 'look for anomalies in the logs', 'what errors keep showing up in the logs?', 'find error patterns across pods', 'analyse the logs of the apps namespace'],
  match(raw, facts) {
    const text = tidy(raw);
    const patterns = /\b(error patterns?|anomal\w*)\b/.test(text);
    if (!/\blogs?\b/.test(text) && !patterns) return undefined;
    if (!patterns && !/\b(analy[sz]e|analysis|patterns?|suggest|errors? keep|recurring|across)\b/.test(text)) return undefined;
    const ns = /\b(?:in|of) (?:the )?(?:namespace )?([a-z0-9-]+)(?: namespace)?\b/.exec(text)?.[1];
    return { score: 0.95, entities: { namespace: ns && facts.namespaces.includes(ns) ? ns : undefined } };
  },
  build(entities) {
    const input = typeof entities.namespace === 'string' ? { namespace: entities.namespace } : {};
    return { intent: 'analyze-logs', steps: [step('s1', 'analyze-logs', input, { why: 'error patterns grouped across pods, with a suggested fix each' })] };
  },
};
