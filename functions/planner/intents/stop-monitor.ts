/** "Stop alerting me about pod restarts", "turn off the pod health monitor": removes the monitor and its schedule (approved, like setting it up). */
import { ruleEntities, ruleInput } from './monitor.js';
import { step, tidy, type Intent } from './intent.js';

export const stopMonitor: Intent = {
  name: 'stop-monitor',
  effect: 'change',
  examples: ['stop alerting me about pod restarts', 'turn off the pod health monitor', 'remove the node monitor', 'disable the pod health checks', 'no more restart alerts please'],
  match(raw, facts) {
    const text = tidy(raw);
    if (!/\b(stop|cancel|remove|delete|disable|turn off|switch off|no more|unsubscribe)\b/.test(text)) return undefined;
    if (!/\b(monitor\w*|alert\w*|notif\w*|checking|checks?|watch\w*|pinging)\b/.test(text)) return undefined;
    return { score: 0.97, entities: ruleEntities(text, facts) };
  },
  build(entities) {
    return { intent: 'stop-monitor', steps: [step('s1', 'automate', { what: 'monitor', remove: true, ...ruleInput(entities) }, { mutates: true, why: `stop checking ${String(entities.rule)} and delete its schedule` })] };
  },
};
