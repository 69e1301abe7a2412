/** Cron schedules as cron-connector reads them: five fields or a descriptor (@hourly…), plus @every <duration>. */
import { Cron } from 'croner';
import { parseDurationMs } from '../kernel/config.js';
import { GanglionError } from '../kernel/errors.js';

export interface CronExpression {
  text: string;
  /** Whether the schedule is due in the minute starting at `minuteStart`, given when it last fired. */
  dueAt(minuteStart: Date, lastFired?: Date): boolean;
  /** The next minute it is due after `after` (for listings). */
  next(after: Date): Date | undefined;
}

export function parseCronExpression(text: string): CronExpression {
  const trimmed = text.trim();
  const every = /^@every\s+(\S+)$/.exec(trimmed);
  if (every) {
    const ms = Math.max(60_000, parseDurationMs(every[1] as string, 'schedule'));
    return {
      text: trimmed,
      dueAt: (minute, last) => !last || minute.getTime() - last.getTime() >= ms,
      next: (after) => new Date(Math.ceil((after.getTime() + 1) / 60_000) * 60_000),
    };
  }
  if (!trimmed.startsWith('@') && trimmed.split(/\s+/).length !== 5) {
    throw new GanglionError(400, 'invalid_schedule', `schedule "${text}" must have five fields (minute hour day-of-month month day-of-week) or be a descriptor such as @hourly`);
  }
  let cron: Cron;
  try {
    cron = new Cron(trimmed, { paused: true });
  } catch (err) {
    throw new GanglionError(400, 'invalid_schedule', `schedule "${text}" is not a valid cron expression: ${(err as Error).message}`);
  }
  return {
    text: trimmed,
    dueAt: (minute) => cron.nextRun(new Date(minute.getTime() - 1))?.getTime() === minute.getTime(),
    next: (after) => cron.nextRun(after) ?? undefined,
  };
}
