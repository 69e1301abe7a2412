/**
 * "Generate a weekly infrastructure report": the report, made now (text and numbers), and the weekly schedule offered.
 * "… every Monday", "weekly, automatically", "send me a weekly report": scheduled through `automate` (approved).
 */
import { step, tidy, type Intent } from './intent.js';

const CADENCES: { re: RegExp; cron: string; days: number; word: string }[] = [
  { re: /\b(weekly|every week|each week|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)\b/, cron: '0 8 * * 1', days: 7, word: 'every Monday' },
  { re: /\b(daily|every day|each day|every morning|nightly)\b/, cron: '0 8 * * *', days: 1, word: 'every day' },
  { re: /\b(monthly|every month)\b/, cron: '0 8 1 * *', days: 30, word: 'every month' },
];
/** Words that ask for a standing schedule, not one report. */
const RECURRING = /\b(every|each)\s+\w+|\bon (?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b|\bautomatic\w*|\bschedul\w*|\brecurring\b|\bregularly\b|\bnightly\b/;
const DELIVER = /\b(send|slack|e-?mail|mail|post|deliver)\b/;

export const report: Intent = {
  name: 'report',
  effect: 'read',
  examples: ['Generate a weekly infrastructure report', 'send me a daily cluster report', 'make an infrastructure report now', 'send the infrastructure report every Monday', 'I want a monthly report of restarts and rollouts'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(report|summary|digest|recap)\b/.test(text)) return undefined;
    if (/\b(coverage|security|vulnerab\w*|test)\b/.test(text)) return undefined;
    const cadence = CADENCES.find((c) => c.re.test(text));
    const schedule = cadence && (RECURRING.test(text) || DELIVER.test(text)) ? cadence.cron : undefined;
    return { score: cadence ? 0.95 : 0.6, entities: { schedule, days: cadence?.days, offer: cadence?.word } };
  },
  build(entities, _facts, text) {
    if (typeof entities.schedule === 'string') {
      return { intent: 'report', steps: [step('s1', 'automate', { what: 'report', schedule: entities.schedule, notify: 'slack' }, { mutates: true, why: `send the report on ${entities.schedule}` })] };
    }
    const notify = /\bslack\b/.test(tidy(text)) ? 'slack' : 'none';
    const days = typeof entities.days === 'number' && entities.days !== 7 ? { days: entities.days } : {};
    const offer = typeof entities.offer === 'string' ? `to get it ${entities.offer}, say "send the infrastructure report ${entities.offer}"` : undefined;
    return { intent: 'report', steps: [step('s1', 'report', { ...days, notify }, { why: 'the report, once, now' })], ...(offer ? { conclusion: offer } : {}) };
  },
};
