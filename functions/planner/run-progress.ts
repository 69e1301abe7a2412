/** Progress of runs as events (plan, step, awaiting-approval, done), and their server-sent-event stream for clients. */
import type { RunEvent, RunView } from '../../events/run-schema.js';

export type ProgressEvent = RunEvent;

export interface ProgressHub {
  emit(runId: string, ev: ProgressEvent): void;
  subscribe(runId: string, fn: (ev: ProgressEvent) => void): () => void;
}

export function createProgressHub(): ProgressHub {
  const listeners = new Map<string, Set<(ev: ProgressEvent) => void>>();
  return {
    emit(runId, ev) {
      for (const fn of listeners.get(runId) ?? []) fn(ev);
    },
    subscribe(runId, fn) {
      const set = listeners.get(runId) ?? new Set();
      set.add(fn);
      listeners.set(runId, set);
      return () => {
        set.delete(fn);
        if (set.size === 0) listeners.delete(runId);
      };
    },
  };
}

export const sseFrame = (ev: ProgressEvent) => `event: ${ev.event}\ndata: ${JSON.stringify(ev.data)}\n\n`;

/** What a late subscriber missed: the plan, each finished step, and the stop it is at. */
export function replayEvents(view: RunView): ProgressEvent[] {
  const out: ProgressEvent[] = [];
  if (view.steps.length) out.push({ event: 'plan', data: { runId: view.runId, planner: view.planner, ...(view.intent ? { intent: view.intent } : {}), steps: view.steps } });
  for (const s of view.steps) {
    if (s.status !== 'pending') out.push({ event: 'step', data: { runId: view.runId, stepId: s.id, fn: s.fn, status: s.status, ...(s.summary ? { summary: s.summary } : {}) } });
  }
  if (view.status === 'awaiting-approval' && view.approval) out.push({ event: 'awaiting-approval', data: { runId: view.runId, changes: view.approval.changes, approveUrl: view.approval.approveUrl, ...(view.approval.token ? { token: view.approval.token } : {}) } });
  else if (view.status !== 'running') out.push({ event: 'done', data: view });
  return out;
}

const ends = (ev: ProgressEvent) => ev.event === 'done' || ev.event === 'awaiting-approval';

/**
 * A stream that first replays the run's state, then follows it live until it finishes or stops for approval,
 * or the client goes away. A comment line every 15 s keeps proxies from closing an idle stream.
 */
export async function* progressStream(hub: ProgressHub, runId: string, current: () => Promise<RunView>, signal: AbortSignal): AsyncGenerator<string> {
  const queue: ProgressEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = hub.subscribe(runId, (ev) => { queue.push(ev); wake?.(); });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    const start = await current();
    for (const ev of replayEvents(start)) {
      yield sseFrame(ev);
      if (ends(ev)) return;
    }
    while (!signal.aborted) {
      const ev = queue.shift();
      if (ev) {
        yield sseFrame(ev);
        if (ends(ev)) return;
        continue;
      }
      const ping = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), 15_000);
        timer.unref();
        wake = () => { clearTimeout(timer); resolve(false); };
      });
      wake = undefined;
      if (ping) yield ': keep-alive\n\n';
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
