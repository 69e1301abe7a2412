/** "Generate a weekly infrastructure report": schedule the report through `automate` (approved), or make it once, now, with `report`. */
import { step, tidy, type Intent } from './intent.js';

const SCHEDULES: [RegExp, string][] = [[/\bweekly|every week|each week|mondays?\b/, '0 8 * * 1'], [/\bdaily|every day|each day|every morning|nightly\b/, '0 8 * * *'], [/\bmonthly|every month\b/, '0 8 1 * *']];

export const report: Intent = {
  name: 'report',
  effect: 'read',
  examples: ['Generate a weekly infrastructure report', 'send me a daily cluster report', 'make an infrastructure report now', 'email... no, slack me a weekly summary of the cluster', 'I want a monthly report of restarts and rollouts'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(report|summary|digest|recap)\b/.test(text)) return undefined;
    if (/\b(coverage|security|vulnerab\w*|test)\b/.test(text)) return undefined;
    const schedule = SCHEDULES.find(([re]) => re.test(text))?.[1];
    return { score: schedule ? 0.95 : 0.6, entities: { schedule } };
  },
  build(entities, _facts, text) {
    if (typeof entities.schedule === 'string') {
      return { intent: 'report', steps: [step('s1', 'automate', { what: 'report', schedule: entities.schedule, notify: 'slack' }, { mutates: true, why: `send the report on ${entities.schedule}` })] };
    }
    const notify = /\bslack\b/.test(tidy(text)) ? 'slack' : 'none';
    return { intent: 'report', steps: [step('s1', 'report', { notify }, { why: 'the report, once, now' })] };
  },
};
