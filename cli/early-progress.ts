/**
 * Progress while a blocking call is pending: the planner holds a start or approve call for up to ~50 s, so meanwhile
 * the CLI finds the run and follows its event stream, and steps show as they settle instead of all at the end.
 * Display only: the blocking call's answer stays the truth (it alone carries the approval token).
 */
import type { PlannerClient } from './planner-client.js';
import { toRunView, type RunView } from './run-view.js';

export interface EarlyProgressOptions {
  client: PlannerClient;
  /** The run id, or how to find it (undefined = not visible yet). */
  locate: () => Promise<string | undefined>;
  onUpdate(run: RunView): void;
  /** Quick answers never open a stream: wait this long first. */
  delayMs: number;
  /** Between attempts to find the run. */
  retryMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

async function follow(opts: EarlyProgressOptions, signal: AbortSignal): Promise<void> {
  await sleep(opts.delayMs, signal);
  let runId: string | undefined;
  while (!signal.aborted && !(runId = await opts.locate())) await sleep(opts.retryMs ?? 500, signal);
  if (!runId || signal.aborted) return;
  const stream = await opts.client.events(runId, signal);
  if (!stream) return;
  for await (const ev of stream) {
    if (signal.aborted) return;
    if (ev.event === 'awaiting-approval' || ev.event === 'done') return; // the pending call answers these
    opts.onUpdate(await opts.client.getRun(runId));
  }
}

/** Resolves like `pending`; follows the run on the side until `pending` settles. */
export async function withEarlyProgress<T>(pending: Promise<T>, opts: EarlyProgressOptions): Promise<T> {
  const stop = new AbortController();
  // A side channel that fails (stream cut, run not listed) only costs progress lines; the answer still comes.
  const side = follow(opts, stop.signal).then(() => undefined, (err: unknown) => err);
  try {
    return await pending;
  } finally {
    stop.abort();
    await side;
  }
}

/** Finds the run this client just started: newest with the same text, from ganglion-cli, created since `sentAt`. */
export function locateStartedRun(client: PlannerClient, text: string, sentAt: number): () => Promise<string | undefined> {
  return async () => {
    const data = await client.listRuns();
    const list = Array.isArray(data) ? data : typeof data === 'object' && data !== null && Array.isArray((data as { runs?: unknown }).runs) ? (data as { runs: unknown[] }).runs : [];
    const mine = list
      .map(toRunView)
      .filter((r): r is RunView => r !== undefined)
      .filter((r) => r.text === text.trim() && r.client === 'ganglion-cli' && Date.parse(r.createdAt) >= sentAt - 2000);
    return mine[0]?.runId;
  };
}
