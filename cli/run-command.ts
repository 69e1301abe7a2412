/** One command end to end: send it to the planner, show the plan and progress, ask for approval, print the result. */
import type { PlannerClient } from './planner-client.js';
import { followRun } from './follow-run.js';
import { locateStartedRun, withEarlyProgress } from './early-progress.js';
import { approvalLines, detailLines, planLines, stepLine, summaryLine } from './render.js';
import type { RunView } from './run-view.js';
import type { Terminal } from './terminal.js';

export const EXIT = { done: 0, failed: 1, usage: 2, awaitingApproval: 3 } as const;

export interface RunOptions {
  client: PlannerClient;
  term: Terminal;
  yes: boolean;
  json: boolean;
  pollMs?: number;
  /** How long a start or approve call may take before the CLI follows the run on the side (default 1 s). */
  earlyProgressMs?: number;
}

type Progress = ReturnType<typeof createProgress>;

/** Prints each step once it settles, and the plan once it is known; a one-step answer that came back done needs neither. */
function createProgress(term: Terminal, json: boolean) {
  const shown = new Map<string, string>();
  let planShown = false;
  let first = true;
  const progress = (run: RunView) => {
    if (json) return;
    const quiet = first && run.steps.length === 1 && (run.status === 'completed' || run.status === 'failed');
    first = false;
    if (quiet) {
      planShown = true;
      for (const s of run.steps) shown.set(s.id, s.status);
      return;
    }
    if (!planShown && run.steps.length > 0) {
      planShown = true;
      for (const line of planLines(run, term.style)) term.info(line);
    }
    for (const step of run.steps) {
      if (step.status === 'pending' || step.status === 'awaiting-approval') continue;
      // One step that settles: the run's summary line says the same, once.
      if (run.steps.length === 1 && step.status !== 'running') continue;
      if (step.status === 'running' && shown.has(step.id)) continue;
      if (shown.get(step.id) === step.status) continue;
      shown.set(step.id, step.status);
      term.info(stepLine(step, term.style));
    }
  };
  return { progress, stepsShown: () => shown.size > 0 && [...shown.values()].some((s) => s !== 'running') };
}

export function exitCodeOf(run: RunView): number {
  if (run.status === 'completed') return EXIT.done;
  if (run.status === 'awaiting-approval') return EXIT.awaitingApproval;
  return EXIT.failed;
}

function finish(run: RunView, { term, json }: RunOptions, stepsShown: boolean): number {
  if (json) {
    term.out(JSON.stringify(run, null, 2));
    return exitCodeOf(run);
  }
  for (const line of detailLines(run)) term.out(line);
  term.out(summaryLine(run, term.style, stepsShown));
  return exitCodeOf(run);
}

/** Approves, showing the steps that settle while the planner holds the call. */
function approveWithProgress(run: Pick<RunView, 'runId'>, token: string, opts: RunOptions, progress: Progress): Promise<RunView> {
  const pending = opts.client.approve(run.runId, token);
  if (opts.json) return pending;
  return withEarlyProgress(pending, { client: opts.client, locate: async () => run.runId, onUpdate: progress.progress, delayMs: opts.earlyProgressMs ?? 1000 });
}

/** The approval gate on the person's side: --yes, a y/N prompt, or (no terminal) how to approve later and exit 3. */
async function decide(run: RunView, opts: RunOptions, progress: Progress): Promise<RunView | number> {
  const { client, term } = opts;
  const token = run.approval?.token;
  for (const line of approvalLines(run, term.style)) term.info(line);
  if (!token) {
    if (opts.json) term.out(JSON.stringify(run, null, 2));
    term.info(`Waiting for approval. The token went to the client that started run ${run.runId}; approve with: ganglion approve ${run.runId} <token>`);
    return EXIT.awaitingApproval;
  }
  if (opts.yes) {
    term.info(term.style.dim('approved by --yes'));
    return approveWithProgress(run, token, opts, progress);
  }
  const answer = await term.ask('Apply these changes? [y/N] ');
  if (answer === undefined) {
    if (opts.json) term.out(JSON.stringify(run, null, 2));
    term.info(`Waiting for approval. Approve with: ganglion approve ${run.runId} ${token}`);
    term.info(`(or run again with --yes; nothing has changed yet)`);
    return EXIT.awaitingApproval;
  }
  if (/^y(es)?$/i.test(answer.trim())) {
    term.info(term.style.dim('approved; applying…'));
    return approveWithProgress(run, token, opts, progress);
  }
  const rejected = await client.reject(run.runId, token).catch((err: unknown) => {
    term.err(`could not record the rejection (${err instanceof Error ? err.message : String(err)}); the run stays unapproved`);
    return undefined;
  });
  if (opts.json && rejected) term.out(JSON.stringify(rejected, null, 2));
  term.info('Not approved: nothing was changed.');
  return EXIT.failed;
}

/** Drives a run from its first answer to its end; returns the exit code. */
export async function driveRun(first: RunView, opts: RunOptions, tracker: Progress = createProgress(opts.term, opts.json)): Promise<number> {
  const { progress, stepsShown } = tracker;
  let run = first;
  progress(run);
  for (;;) {
    run = await followRun(opts.client, run, { onUpdate: progress, ...(opts.pollMs ? { pollMs: opts.pollMs } : {}) });
    progress(run);
    if (run.status !== 'awaiting-approval') return finish(run, opts, stepsShown());
    const next = await decide(run, opts, tracker);
    if (typeof next === 'number') return next;
    run = next;
    progress(run);
  }
}

/** `ganglion approve <id> <token>`: approve with progress, then follow the run to its end. */
export async function approveRun(runId: string, token: string, opts: RunOptions): Promise<number> {
  const tracker = createProgress(opts.term, opts.json);
  const run = await approveWithProgress({ runId }, token, opts, tracker);
  return driveRun(run, opts, tracker);
}

export async function runCommand(text: string, opts: RunOptions): Promise<number> {
  const tracker = createProgress(opts.term, opts.json);
  const sentAt = Date.now();
  const pending = opts.client.command(text, { client: 'ganglion-cli', ...(opts.yes ? { yes: true } : {}) });
  const first = opts.json
    ? await pending
    : await withEarlyProgress(pending, { client: opts.client, locate: locateStartedRun(opts.client, text, sentAt), onUpdate: tracker.progress, delayMs: opts.earlyProgressMs ?? 1000 });
  return driveRun(first, opts, tracker);
}
