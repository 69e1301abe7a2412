/**
 * The built-in cron: the embedded stand-in for cron-connector, firing the schedules of stack.yml annotations
 * (topic: cron-function, schedule), checked once per minute against an injectable clock. The minute a schedule fires
 * is persisted before it fires, so a restart never fires it twice for the same minute. Schedules set up at run time
 * (monitors, the weekly report) are CronJobs in the cluster, not here.
 */
import type { Logger } from '../kernel/logger.js';
import { parseCronExpression, type CronExpression } from './cron-expression.js';
import type { ScheduleStore } from './schedule-store.js';

export interface Schedule {
  id: string;
  function: string;
  schedule: string;
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
  const all = (): Schedule[] => [...stack.values()];

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
        stack.set(`stack:${e.function}`, { id: `stack:${e.function}`, function: e.function, schedule: e.annotations.schedule });
      }
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
