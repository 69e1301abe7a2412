/** Test helper: a clock that starts at a chosen instant, runs at real speed and jumps forward on `advance`, waking the controllers. */
import type { Clock } from '../work-loop.js';

export interface TestClock extends Clock {
  /** Moves the clock forward by `ms`; wake-ups that fall due run at once. */
  advance(ms: number): void;
  /** Moves the clock forward to `at` (ms since epoch); never backwards. */
  advanceTo(at: number): void;
}

export function testClock(start: number | string): TestClock {
  const startedAt = Date.now();
  let offset = (typeof start === 'string' ? Date.parse(start) : start) - startedAt;
  const listeners = new Set<() => void>();
  const now = () => Date.now() + offset;
  const advance = (ms: number) => {
    offset += Math.max(0, ms);
    for (const listener of listeners) listener();
  };
  return {
    now,
    advance,
    advanceTo: (at) => advance(at - now()),
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
