/** Durable scheduler state under $GANGLION_HOME/schedules: schedules added at run time and the last minute each fired. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';

export interface StoredSchedule {
  function: string;
  schedule: string;
  /** Body to send; empty (as cron-connector sends) when absent. */
  body?: string;
  contentType?: string;
  createdAt: string;
}

export interface ScheduleState {
  schedules: Record<string, StoredSchedule>;
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
        return { schedules: parsed.schedules ?? {}, lastFired: parsed.lastFired ?? {} };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schedules: {}, lastFired: {} };
        throw err;
      }
    },
    save(state) {
      writeFileAtomic(file, JSON.stringify(state, null, 2));
    },
  };
}
