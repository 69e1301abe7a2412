/**
 * The built-in cron: schedules from stack.yml annotations (topic: cron-function, schedule) and from the
 * /system/schedules API, checked once per minute against an injectable clock. The minute a schedule fires is
 * persisted before it fires, so a restart never fires it twice for the same minute.
 */
import { GanglionError } from '../kernel/errors.js';
import type { Logger } from '../kernel/logger.js';
import { parseCronExpression, type CronExpression } from './cron-expression.js';
import type { ScheduleStore, StoredSchedule } from './schedule-store.js';

export interface Schedule {
  id: string;
  function: string;
  schedule: string;
  body?: string;
  contentType?: string;
  source: 'stack' | 'api';
}

export interface CronSchedulerOptions {
  store: ScheduleStore;
  /** Sends one invocation (POST /function/NAME.openfaas-fn with X-Topic / X-Connector). */
  fire: (schedule: Schedule) => Promise<void>;
  log: Logger;
  now?: () => Date;
}

export interface CronScheduler {
  /** Replaces the schedules that come from stack.yml annotations. */
  setStackSchedules(entries: Array<{ function: string; annotations: Record<string, string> }>): void;
  put(id: string, s: Omit<StoredSchedule, 'createdAt'>): { created: boolean };
  remove(id: string): boolean;
  list(): Array<Schedule & { lastFired?: string; nextRun?: string }>;
  /** Fires what is due in the current minute; returns the ids fired. */
  tick(): Promise<string[]>;
  start(): void;
  stop(): void;
}

const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

export function createCronScheduler({ store, fire, log, now = () => new Date() }: CronSchedulerOptions): CronScheduler {
  const state = store.load();
  const stack = new Map<string, Schedule>();
  const parsed = new Map<string, CronExpression>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const expr = (s: Schedule) => {
    let e = parsed.get(s.schedule);
    if (!e) parsed.set(s.schedule, (e = parseCronExpression(s.schedule)));
    return e;
  };
  const all = (): Schedule[] => [
    ...stack.values(),
    ...Object.entries(state.schedules).map(([id, s]) => ({ id, function: s.function, schedule: s.schedule, source: 'api' as const, ...(s.body !== undefined ? { body: s.body } : {}), ...(s.contentType ? { contentType: s.contentType } : {}) })),
  ];

  async function tick(): Promise<string[]> {
    const minute = minuteOf(now());
    const key = minute.toISOString();
    const due = all().filter((s) => {
      const fired = state.lastFired[s.id];
      if (fired !== undefined && fired >= key) return false;
      return expr(s).dueAt(minute, fired === undefined ? undefined : new Date(fired));
    });
    if (due.length === 0) return [];
    for (const s of due) state.lastFired[s.id] = key;
    store.save(state);
    await Promise.all(due.map((s) => fire(s).catch((err: unknown) => log.warn({ schedule: s.id, err: (err as Error).message }, 'scheduled invocation failed'))));
    return due.map((s) => s.id);
  }

  function arm(): void {
    if (!running) return;
    const t = now().getTime();
    // Wake just after each minute starts.
    timer = setTimeout(() => { void tick().finally(arm); }, 60_000 - (t % 60_000) + 20);
    timer.unref();
  }

  return {
    setStackSchedules(entries) {
      stack.clear();
      for (const e of entries) {
        if (e.annotations.topic !== 'cron-function' || !e.annotations.schedule) continue;
        try {
          parseCronExpression(e.annotations.schedule);
        } catch (err) {
          // cron-connector skips a schedule that does not parse; say so instead of staying silent.
          log.warn({ function: e.function }, (err as Error).message);
          continue;
        }
        stack.set(`stack:${e.function}`, { id: `stack:${e.function}`, function: e.function, schedule: e.annotations.schedule, source: 'stack' });
      }
    },
    put(id, s) {
      if (!/^[a-z0-9][-a-z0-9._]{0,62}$/.test(id)) throw new GanglionError(400, 'invalid_schedule_id', `schedule id "${id}" must be lowercase letters, digits, '-', '.', '_' (max 63)`);
      parseCronExpression(s.schedule);
      const created = !state.schedules[id];
      state.schedules[id] = { ...s, createdAt: state.schedules[id]?.createdAt ?? now().toISOString() };
      store.save(state);
      return { created };
    },
    remove(id) {
      if (!state.schedules[id]) return false;
      delete state.schedules[id];
      delete state.lastFired[id];
      store.save(state);
      return true;
    },
    list() {
      const t = now();
      return all().map((s) => {
        const next = expr(s).next(t);
        return { ...s, ...(state.lastFired[s.id] ? { lastFired: state.lastFired[s.id] } : {}), ...(next ? { nextRun: next.toISOString() } : {}) };
      });
    },
    tick,
    start() {
      running = true;
      void tick().finally(arm);
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
