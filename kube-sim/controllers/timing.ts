/** How fast the simulated cluster moves: demo defaults (pods ready in about a second) and small values for tests. */

export interface Timing {
  /** delay before queued work runs, so bursts of changes are handled together */
  tickMs: number;
  /** pulling an image */
  pullMs: number;
  /** image pulled → container running */
  podStartMs: number;
  /** container running → Ready (when it has a readiness probe) */
  readyMs: number;
  /** first CrashLoopBackOff / ImagePullBackOff delay; doubles each time */
  crashBackoffMs: number;
  /** ceiling of the back-off */
  maxBackoffMs: number;
  /** how long a deleted pod shows Terminating */
  terminateMs: number;
  /** one second of scenario behaviour (crash after N s, log every N s, probe periods) */
  secondMs: number;
  /** one second of a Deployment's progressDeadlineSeconds (scaled so a broken rollout fails in a demo) */
  progressSecondMs: number;
  /** one second of a Job's activeDeadlineSeconds / ttlSecondsAfterFinished (real seconds by default) */
  jobSecondMs: number;
  /** first delay before a Job replaces a failed pod; doubles each time */
  jobBackoffMs: number;
  /** SIGTERM → SIGKILL for worker processes */
  killGraceMs: number;
}

export const DEMO_TIMING: Timing = {
  tickMs: 20,
  pullMs: 300,
  podStartMs: 500,
  readyMs: 700,
  crashBackoffMs: 5_000,
  maxBackoffMs: 60_000,
  terminateMs: 800,
  secondMs: 1_000,
  progressSecondMs: 100,
  jobSecondMs: 1_000,
  jobBackoffMs: 1_000,
  killGraceMs: 2_000,
};

/** Fast enough for tests (pods ready in ~50 ms, a broken rollout fails in ~1.2 s); Job deadlines stay in real seconds. */
export const TEST_TIMING: Timing = {
  tickMs: 2,
  pullMs: 10,
  podStartMs: 10,
  readyMs: 15,
  crashBackoffMs: 40,
  maxBackoffMs: 200,
  terminateMs: 10,
  secondMs: 25,
  progressSecondMs: 2,
  jobSecondMs: 1_000,
  jobBackoffMs: 10,
  killGraceMs: 300,
};

export function resolveTiming(partial: Partial<Timing> = {}): Timing {
  const out: Timing = { ...DEMO_TIMING };
  for (const key of Object.keys(DEMO_TIMING) as (keyof Timing)[]) {
    const value = partial[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

/** The back-off after `failures` failures: base, 2×base, 4×base … capped. */
export function backoffMs(base: number, cap: number, failures: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, failures - 1));
}
