/** Durable scheduler state under $GANGLION_HOME/schedules: schedules added at run time and the last minute each fired. */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
    // Written whole to a temp file, synced and renamed, so a crash leaves the old or the new state, never half.
    save(state) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(state, null, 2));
      const fd = openSync(tmp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, file);
    },
  };
}
