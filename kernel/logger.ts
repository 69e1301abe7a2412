/**
 * Structured logs with pino: quiet by default (warn), to stderr, level from LOG_LEVEL.
 *
 * The pino logger is built on the first call that would write (or that needs the real logger: flush, level changes,
 * bindings): a function answering requests at the default level never builds it, and in the production bundle
 * (templates/ganglion-ts/bundle.mjs) pino's code is then not even evaluated.
 * Measured (npm run bench -- production, cluster-status): first answer 180–188 ms lazy, 222–225 ms built at start.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const threshold = (level: string) => (level === 'silent' ? Infinity : LEVELS[level] ?? LEVELS.info!);

function lazyLogger(level: string, build: () => Logger): Logger {
  let real: Logger | undefined;
  const get = () => (real ??= build());
  const quiet = threshold(level);
  const noop = () => {};
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (!real) {
        if (prop === 'level') return level;
        if (prop === 'isLevelEnabled') return (l: string) => threshold(l) >= quiet && l !== 'silent';
        if (typeof prop === 'string' && LEVELS[prop] !== undefined && LEVELS[prop]! < quiet) return noop;
        if (prop === 'child') return (bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => lazyLogger(options?.level ?? level, () => get().child(bindings, options));
        if (prop === 'flush') return (cb?: (err?: Error) => void) => cb?.();
      }
      const r = get();
      const value = Reflect.get(r, prop, r) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(r) : value;
    },
    set(_target, prop, value) {
      return Reflect.set(get(), prop, value);
    },
  });
}

export function createLogger({ name, level = 'warn' }: { name: string; level?: string }): Logger {
  if (level !== 'silent' && LEVELS[level] === undefined) throw new Error(`log level "${level}" (LOG_LEVEL) is not one of ${Object.keys(LEVELS).join(', ')}, silent`);
  return lazyLogger(level, () => pino({ name, level, base: { name } }, pino.destination({ dest: 2, sync: true })));
}
