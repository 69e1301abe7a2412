/** Structured logs with pino: quiet by default (warn), to stderr, level from LOG_LEVEL. */
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger({ name, level = 'warn' }: { name: string; level?: string }): Logger {
  return pino({ name, level, base: { name } }, pino.destination({ dest: 2, sync: true }));
}
