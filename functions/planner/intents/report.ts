/** "Generate a weekly infrastructure report": schedule the report (or make it once, now). */
import { step, tidy, type Intent } from './intent.js';

const SCHEDULES: [RegExp, string][] = [[/\bweekly|every week|each week|mondays?\b/, '0 8 * * 1'], [/\bdaily|every day|each day|every morning|nightly\b/, '0 8 * * *'], [/\bmonthly|every month\b/, '0 8 1 * *']];

export const report: Intent = {
  name: 'report',
  examples: ['Generate a weekly infrastructure report', 'send me a daily cluster report', 'make an infrastructure report now', 'email... no, slack me a weekly summary of the cluster', 'I want a monthly report of restarts and rollouts'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(report|summary|digest|recap)\b/.test(text)) return undefined;
    if (/\b(coverage|security|vulnerab\w*|test)\b/.test(text)) return undefined;
    const schedule = SCHEDULES.find(([re]) => re.test(text))?.[1];
    return { score: schedule ? 0.95 : 0.6, entities: { schedule } };
  },
  build(entities) {
    const input: Record<string, unknown> = { notify: 'slack', ...(typeof entities.schedule === 'string' ? { schedule: entities.schedule } : {}) };
    return { intent: 'report', steps: [step('s1', 'report', input, { mutates: true, why: entities.schedule ? `send the report on ${String(entities.schedule)}` : 'the report, once, now' })] };
  },
};
