/** Follows a run until it stops moving (done, failed, waiting for approval, asking a question): SSE when offered, else polling. */
import type { PlannerClient } from './planner-client.js';
import { toRunView, type RunView } from './run-view.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const moving = (status: string) => status === 'running' || status === 'pending';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not a run: the caller re-reads it
  }
}

export interface FollowOptions {
  /** Called with every newer view of the run (for progress lines). */
  onUpdate(run: RunView): void;
  /** Delay between polls when there is no event stream. */
  pollMs?: number;
  signal?: AbortSignal;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

async function followStream(client: PlannerClient, runId: string, opts: FollowOptions): Promise<RunView | undefined> {
  const stop = new AbortController();
  opts.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const stream = await client.events(runId, stop.signal).catch((err: unknown) => {
    if (err instanceof Error && err.name === 'AbortError') return undefined;
    throw err;
  });
  if (!stream) return undefined;
  let last: RunView | undefined;
  try {
    for await (const ev of stream) {
      // `done` carries the final run; `plan`, `step` and `awaiting-approval` carry parts of it, so re-read the run.
      const data = parseJson(ev.data);
      const view = (ev.event === 'done' ? toRunView(data) : undefined) ?? (await client.getRun(runId));
      // GET never shows the token; the stream hands it over once when no one awaits the start call (a long run).
      const token = ev.event === 'awaiting-approval' && isRecord(data) && typeof data.token === 'string' ? data.token : undefined;
      if (token && view.status === 'awaiting-approval' && view.approval) view.approval = { ...view.approval, token };
      opts.onUpdate(view);
      last = view;
      // Stop at the stream's own stopping events: the run read a moment earlier may already be further on.
      if ((ev.event === 'done' || ev.event === 'awaiting-approval') && !moving(view.status)) return view;
    }
    if (last && !moving(last.status)) return last;
  } catch (err) {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err;
  } finally {
    stop.abort();
  }
  return undefined;
}

export async function followRun(client: PlannerClient, start: RunView, opts: FollowOptions): Promise<RunView> {
  if (!moving(start.status)) return start;
  const streamed = await followStream(client, start.runId, opts);
  if (streamed) return streamed;
  let view = await client.getRun(start.runId);
  opts.onUpdate(view);
  while (moving(view.status) && !opts.signal?.aborted) {
    await delay(opts.pollMs ?? 250, opts.signal);
    view = await client.getRun(start.runId);
    opts.onUpdate(view);
  }
  return view;
}
