import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatInZone, mostRecentScheduleTime, nextWakeAt, parseSchedule, type Schedule } from './cron-schedule.js';

const at = (text: string) => Date.parse(text);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
function parsed(text: string, timeZone?: string): Schedule {
  const result = parseSchedule(text, timeZone);
  if (!result.ok) throw new Error(result.error);
  return result.schedule;
}

test('five fields and descriptors parse; six fields and nonsense do not, as with cron.ParseStandard', () => {
  assert.is(iso(parsed('*/15 * * * *').next(at('2025-01-01T00:07:00Z'))), '2025-01-01T00:15:00.000Z');
  assert.is(iso(parsed('@hourly').next(at('2025-01-01T00:07:00Z'))), '2025-01-01T01:00:00.000Z');
  assert.is(iso(parsed('@every 90s').next(at('2025-01-01T00:00:00.400Z'))), '2025-01-01T00:01:30.000Z');
  assert.is(parseSchedule('* * * * * *').ok, false);
  assert.is(parseSchedule('every day').ok, false);
});

test('timeZone makes "0 8 * * *" mean 08:00 in that zone', () => {
  assert.is(iso(parsed('0 8 * * *', 'Europe/Berlin').next(at('2025-01-01T00:00:00Z'))), '2025-01-01T07:00:00.000Z');
  assert.is(iso(parsed('CRON_TZ=America/New_York 0 8 * * *').next(at('2025-01-01T00:00:00Z'))), '2025-01-01T13:00:00.000Z');
  assert.is(parseSchedule('0 8 * * *', 'Mars/Olympus').ok, false);
});

test('the most recent unmet time is the latest one at or before now; earlier missed times are never started', () => {
  const every = parsed('* * * * *');
  const created = at('2025-01-01T00:00:30Z');
  assert.equal(mostRecentScheduleTime(every, { created }, at('2025-01-01T00:00:59Z'), true), { earliest: created, missed: 'none' });
  assert.is(iso(mostRecentScheduleTime(every, { created }, at('2025-01-01T00:01:05Z'), true).mostRecent), '2025-01-01T00:01:00.000Z');
  const late = mostRecentScheduleTime(every, { created }, at('2025-01-01T00:05:10Z'), true);
  assert.is(iso(late.mostRecent), '2025-01-01T00:05:00.000Z');
  assert.is(late.missed, 'few');
  assert.is(iso(mostRecentScheduleTime(every, { created, lastSchedule: at('2025-01-01T00:05:00Z') }, at('2025-01-01T00:05:30Z'), true).mostRecent), undefined);
});

test('more than 100 missed times is "many", and still the most recent is started', () => {
  const recent = mostRecentScheduleTime(parsed('* * * * *'), { created: at('2025-01-01T00:00:00Z') }, at('2025-01-01T03:00:10Z'), true);
  assert.is(recent.missed, 'many');
  assert.is(iso(recent.mostRecent), '2025-01-01T03:00:00.000Z');
  const hundred = mostRecentScheduleTime(parsed('* * * * *'), { created: at('2025-01-01T00:00:00Z') }, at('2025-01-01T01:40:10Z'), true);
  assert.is(hundred.missed, 'few');
});

test('startingDeadlineSeconds moves the earliest time considered up to now minus the deadline', () => {
  const hourly = parsed('0 * * * *');
  const anchor = { created: at('2025-01-01T00:30:00Z'), startingDeadlineSeconds: 60 };
  assert.is(mostRecentScheduleTime(hourly, anchor, at('2025-01-01T01:05:00Z'), true).mostRecent, undefined);
  assert.is(iso(mostRecentScheduleTime(hourly, anchor, at('2025-01-01T01:00:40Z'), true).mostRecent), '2025-01-01T01:00:00.000Z');
});

test('an impossible date is an error rather than a loop', () => {
  assert.is(mostRecentScheduleTime(parsed('59 23 31 2 *'), { created: at('2025-01-01T00:00:00Z') }, at('2025-06-01T00:00:00Z'), true).error, 'time difference between two schedules is less than 1 second');
});

test('the controller wakes 100 ms after the next schedule time', () => {
  const every = parsed('*/5 * * * *');
  assert.is(iso(nextWakeAt(every, { created: at('2025-01-01T00:01:00Z') }, at('2025-01-01T00:02:00Z'))), '2025-01-01T00:05:00.100Z');
  assert.is(iso(nextWakeAt(every, { created: at('2025-01-01T00:01:00Z'), lastSchedule: at('2025-01-01T00:05:00Z') }, at('2025-01-01T00:05:01Z'))), '2025-01-01T00:10:00.100Z');
});

test('the scheduled-timestamp annotation is RFC 3339 in the CronJob\'s zone, Z at offset zero', () => {
  assert.is(formatInZone(at('2025-01-01T07:00:00Z'), 'Europe/Berlin'), '2025-01-01T08:00:00+01:00');
  assert.is(formatInZone(at('2025-07-01T12:00:00Z'), 'America/New_York'), '2025-07-01T08:00:00-04:00');
  assert.is(formatInZone(at('2025-01-01T07:00:00Z'), undefined), '2025-01-01T07:00:00Z');
  assert.is(formatInZone(at('2025-01-01T07:00:00Z'), 'Europe/London'), '2025-01-01T07:00:00Z');
});

test.run();
