/**
 * The built-in cron's own memory under $GANGLION_HOME/schedules: the last minute each stack.yml schedule fired, so a
 * restarted gateway does not fire it twice. One gateway process owns it; schedules themselves live in stack.yml
 * (cron-connector annotations) and, for what automate sets up, in the cluster as CronJobs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';

export interface ScheduleState {
  /** Schedule id → ISO time of the minute it last fired. */
  lastFired: Record<string, string>;
}

export interface ScheduleStore {
  load(): ScheduleState;
  save(state: ScheduleState): void;
}

export function createScheduleStore(home: string): ScheduleStore {
  const dir = path.join(home, 'schedules');
  const file = path.join(dir, 'state.json');
  return {
    load() {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ScheduleState>;
        return { lastFired: parsed.lastFired ?? {} };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lastFired: {} };
        throw err;
      }
    },
    save(state) {
      writeFileAtomic(file, JSON.stringify(state, null, 2));
    },
  };
}
