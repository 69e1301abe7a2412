/**
 * The controllers' scheduler: keys queued per controller (deduplicated, handled together after tickMs) and
 * wake-ups at a time. Nothing runs while nothing changes; every timer is unref'd so an idle cluster costs nothing.
 */

export interface Clock {
  now(): number;
  /** A clock that can jump (a test clock) tells the loop, so wake-ups now due run at once. Returns an unsubscribe. */
  onAdvance?(listener: () => void): () => void;
}

// setTimeout fires at once for delays past 2^31-1 ms; a later wake-up (a yearly CronJob) re-arms from there
const MAX_TIMER_MS = 2 ** 31 - 1;
export type Reconcile = (key: string) => void;

export interface WorkLoop {
  register(controller: string, reconcile: Reconcile): void;
  enqueue(controller: string, key: string): void;
  /** Runs the controller for key at (about) clock time `at`. */
  wakeAt(at: number, controller: string, key: string): void;
  /** Resolves once nothing is queued and `busy()` says no pod is on its way somewhere, or after `maxMs`. */
  settle(busy: () => boolean, maxMs?: number): Promise<void>;
  stop(): void;
}

interface Wake { at: number; controller: string; key: string }

export function createWorkLoop({ clock, tickMs, onError }: { clock: Clock; tickMs: number; onError: (err: unknown, controller: string, key: string) => void }): WorkLoop {
  const controllers = new Map<string, Reconcile>();
  const queued = new Map<string, Set<string>>();
  let wakes: Wake[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeTimerAt = Infinity;
  let stopped = false;
  let running = false;

  const stopListening = clock.onAdvance?.(() => {
    if (wakeTimer) clearTimeout(wakeTimer);
    fireWakes();
  });

  const hasQueued = () => [...queued.values()].some((s) => s.size > 0);

  function scheduleFlush(): void {
    if (stopped || flushTimer || running) return;
    flushTimer = setTimeout(flush, tickMs);
    flushTimer.unref();
  }

  function flush(): void {
    flushTimer = undefined;
    running = true;
    try {
      // bounded passes: work queued by this pass runs in the next one
      for (let pass = 0; pass < 50 && hasQueued(); pass++) {
        for (const [controller, keys] of queued) {
          if (keys.size === 0) continue;
          const batch = [...keys];
          keys.clear();
          const reconcile = controllers.get(controller);
          for (const key of batch) {
            if (stopped) return;
            try {
              reconcile?.(key);
            } catch (err) {
              onError(err, controller, key);
            }
          }
        }
      }
    } finally {
      running = false;
    }
    if (hasQueued()) scheduleFlush();
  }

  function armWakeTimer(): void {
    if (stopped || wakes.length === 0) return;
    const next = wakes[0].at;
    if (wakeTimer && wakeTimerAt <= next) return;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimerAt = next;
    wakeTimer = setTimeout(fireWakes, Math.min(MAX_TIMER_MS, Math.max(0, next - clock.now())));
    wakeTimer.unref();
  }

  function fireWakes(): void {
    wakeTimer = undefined;
    wakeTimerAt = Infinity;
    const now = clock.now();
    const due = wakes.filter((w) => w.at <= now);
    wakes = wakes.filter((w) => w.at > now);
    for (const w of due) enqueue(w.controller, w.key);
    armWakeTimer();
  }

  function enqueue(controller: string, key: string): void {
    if (stopped) return;
    let set = queued.get(controller);
    if (!set) {
      set = new Set();
      queued.set(controller, set);
    }
    set.add(key);
    scheduleFlush();
  }

  return {
    register(controller, reconcile) {
      controllers.set(controller, reconcile);
    },
    enqueue,
    wakeAt(at, controller, key) {
      if (stopped) return;
      const exists = wakes.some((w) => w.controller === controller && w.key === key && w.at === at);
      if (exists) return;
      let i = wakes.length;
      while (i > 0 && wakes[i - 1].at > at) i--;
      wakes.splice(i, 0, { at, controller, key });
      armWakeTimer();
    },
    settle(busy, maxMs = 30_000) {
      const started = Date.now();
      let quietPolls = 0;
      return new Promise((resolve) => {
        // a referenced timer keeps the process alive while someone waits for the cluster
        const poll = setInterval(() => {
          quietPolls = !hasQueued() && !running && !busy() ? quietPolls + 1 : 0;
          if (quietPolls >= 2 || stopped || Date.now() - started > maxMs) {
            clearInterval(poll);
            resolve();
          }
        }, Math.max(5, Math.min(50, tickMs * 2)));
      });
    },
    stop() {
      stopped = true;
      stopListening?.();
      if (flushTimer) clearTimeout(flushTimer);
      if (wakeTimer) clearTimeout(wakeTimer);
      wakes = [];
      queued.clear();
    },
  };
}
