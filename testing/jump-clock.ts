/** Test support: a clock for kube-sim (startKubeSim({clock})) that runs at real speed from `start` and jumps forward on `advanceTo`, waking the controllers. */
import type { Clock } from '@ganglion/kube-sim';

export interface JumpClock extends Clock {
  now(): number;
  /** Moves the clock forward to `at` (ms since the epoch); never backwards. Due CronJobs fire at once. */
  advanceTo(at: number): void;
}

export function jumpClock(start = Date.now()): JumpClock {
  let offset = start - Date.now();
  const listeners = new Set<() => void>();
  const now = () => Date.now() + offset;
  return {
    now,
    advanceTo(at) {
      offset += Math.max(0, at - now());
      for (const listener of listeners) listener();
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
