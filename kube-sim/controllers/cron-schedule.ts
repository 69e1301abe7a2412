/** CronJob schedule arithmetic as the Kubernetes CronJob controller (v2) does it: parse, most recent unmet time, next wake-up. */
import { Cron } from 'croner';

/** `next(ms)` is the first schedule time strictly after `ms` (whole seconds), or undefined when there is none. */
export interface Schedule { next(ms: number): number | undefined }

export type ParsedSchedule = { ok: true; schedule: Schedule; inlineTimeZone: boolean } | { ok: false; error: string };

/** Go's time.LoadLocation accepts "" and "Local" as well as IANA names; the controller runs in UTC. */
export function validTimeZone(timeZone: string): boolean {
  if (timeZone === '' || timeZone === 'Local' || timeZone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

const zoneOf = (timeZone: string | undefined) => (!timeZone || timeZone === 'Local' ? 'UTC' : timeZone);

/** robfig/cron's `@every <duration>`: a constant delay, at least one second, sub-seconds dropped. */
function everySchedule(text: string): Schedule | undefined {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  const total = parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
  const delay = Math.max(1_000, total - (total % 1_000));
  return { next: (ms) => ms - (ms % 1_000) + delay };
}

/** Like cron.ParseStandard: five fields or a descriptor (`@hourly`, `@every 1h`), an optional `CRON_TZ=`/`TZ=` prefix. */
export function parseSchedule(text: string, timeZone?: string): ParsedSchedule {
  if (timeZone !== undefined && !validTimeZone(timeZone)) return { ok: false, error: `unknown time zone ${timeZone}` };
  let pattern = text.trim();
  let zone = zoneOf(timeZone);
  const prefixed = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(pattern);
  if (prefixed) {
    if (!validTimeZone(prefixed[1])) return { ok: false, error: `provided bad location ${prefixed[1]}: unknown time zone ${prefixed[1]}` };
    zone = zoneOf(prefixed[1]);
    pattern = prefixed[2].trim();
  }
  if (pattern.startsWith('@every ')) {
    const every = everySchedule(pattern.slice('@every '.length).trim());
    return every ? { ok: true, schedule: every, inlineTimeZone: Boolean(prefixed) } : { ok: false, error: `failed to parse duration ${pattern}` };
  }
  try {
    const cron = new Cron(pattern, { timezone: zone, mode: '5-part' });
    return { ok: true, inlineTimeZone: Boolean(prefixed), schedule: { next: (ms) => cron.nextRun(new Date(ms))?.getTime() ?? undefined } };
  } catch (err) {
    if (err instanceof Error) return { ok: false, error: err.message };
    throw err;
  }
}

export interface ScheduleAnchor {
  /** creationTimestamp, in ms */
  created: number;
  /** status.lastScheduleTime, in ms */
  lastSchedule?: number;
  startingDeadlineSeconds?: number;
}

export interface RecentTime {
  earliest: number;
  /** the most recent schedule time at or before now that has not been started */
  mostRecent?: number;
  /** none, a few or more than 100 schedule times were missed */
  missed: 'none' | 'few' | 'many';
  error?: string;
}

/** mostRecentScheduleTime: only the latest missed time is ever started, however many were missed. */
export function mostRecentScheduleTime(schedule: Schedule, anchor: ScheduleAnchor, now: number, withDeadline: boolean): RecentTime {
  let earliest = anchor.lastSchedule ?? anchor.created;
  if (withDeadline && anchor.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - anchor.startingDeadlineSeconds * 1_000);
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1_000);
  // an impossible date such as "59 23 31 2 *" has no next time at all
  if (t1 === undefined || between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const missedCount = Math.trunc(Math.trunc((now - t1) / 1_000) / between) + 1;
  let mostRecent: number | undefined;
  for (let t = schedule.next(t1 + (missedCount - 2) * between * 1_000); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** When the controller looks again: the schedule time after the most recent one, plus 100 ms against clock skew. */
export function nextWakeAt(schedule: Schedule, anchor: ScheduleAnchor, now: number): number | undefined {
  const recent = mostRecentScheduleTime(schedule, anchor, now, false);
  const from = recent.error ? now : recent.mostRecent ?? (recent.missed === 'none' ? recent.earliest : now);
  const next = schedule.next(from);
  return next === undefined ? undefined : next + 100;
}

/** Go's `Format(time.RFC3339)` of an instant in a zone: `2025-01-01T09:00:00+01:00`, or `…Z` at offset zero. */
export function formatInZone(ms: number, timeZone: string | undefined): string {
  const zone = zoneOf(timeZone);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offsetMinutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  return offsetMinutes === 0 ? `${local}Z` : `${local}${match?.[1]}${match?.[2]}:${match?.[3]}`;
}
