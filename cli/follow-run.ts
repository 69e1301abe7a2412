/**
 * Follows a run until it stops moving (done, failed, waiting for approval, asking a question) on its event stream,
 * applying each event to the view; polls the run instead when the planner offers no stream.
 */
import type { PlannerClient } from './planner-client.js';
import { applyRunEvent } from './run-events.js';
import { toRunView, type RunView } from './read-run.js';

const moving = (status: string) => status === 'running' || status === 'pending';

/** A stream cut before the run stopped is opened again (it replays what was missed) this many times. */
const RECONNECTS = 3;

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

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

/**
 * The run at its approval stop: read once (the event carries only the changes), with a token from the planner's
 * approval route when this caller started it and holds approver (the stream never carries one).
 */
async function atApproval(client: PlannerClient, runId: string, seen: RunView): Promise<RunView> {
  const stored = await client.getRun(runId);
  if (stored.status !== 'awaiting-approval') return stored; // approved or rejected elsewhere meanwhile
  const token = seen.approval?.token ?? (await client.approvalToken(runId));
  if (!token || !stored.approval) return stored;
  return { ...stored, approval: { ...stored.approval, token } };
}

/** One connection to the stream: the view where the run stopped, or undefined when there is no stream or it was cut. */
async function followStream(client: PlannerClient, start: RunView, opts: FollowOptions): Promise<{ stopped?: RunView; last: RunView } | undefined> {
  const stop = new AbortController();
  opts.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let last = start;
  try {
    const stream = await client.events(start.runId, stop.signal);
    if (!stream) return undefined;
    for await (const ev of stream) {
      const view = toRunView(applyRunEvent(last, ev));
      if (!view) continue;
      if (ev.event === 'awaiting-approval') return { stopped: await atApproval(client, start.runId, view), last };
      last = view;
      opts.onUpdate(view);
      if (ev.event === 'done' && !moving(view.status)) return { stopped: view, last };
    }
    return { last };
  } catch (err) {
    if (isAbort(err)) return { last };
    throw err;
  } finally {
    stop.abort();
  }
}

async function poll(client: PlannerClient, runId: string, opts: FollowOptions): Promise<RunView> {
  let view = await client.getRun(runId);
  opts.onUpdate(view);
  while (moving(view.status) && !opts.signal?.aborted) {
    await delay(opts.pollMs ?? 250, opts.signal);
    view = await client.getRun(runId);
    opts.onUpdate(view);
  }
  return view;
}

/** Follows `start` (running, or waiting for approval: the stream then says at once whether it holds the token). */
export async function followRun(client: PlannerClient, start: RunView, opts: FollowOptions): Promise<RunView> {
  if (!moving(start.status) && start.status !== 'awaiting-approval') return start;
  let last = start;
  for (let attempt = 0; attempt <= RECONNECTS && !opts.signal?.aborted; attempt++) {
    const followed = await followStream(client, last, opts);
    if (!followed) break;
    if (followed.stopped) {
      opts.onUpdate(followed.stopped);
      return followed.stopped;
    }
    last = followed.last;
  }
  return poll(client, start.runId, opts);
}
