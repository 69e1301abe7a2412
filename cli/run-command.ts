/**
 * One command end to end: send it to the planner under an id chosen here (the run's id), follow the run's event
 * stream from the first byte, ask for approval with the token the stream brings, print the result.
 */
import { newCommandId, type PlannerClient } from './planner-client.js';
import { followRun } from './follow-run.js';
import { approvalLines, detailLines, planLines, stepLine, summaryLine } from './render.js';
import type { RunView } from './read-run.js';
import type { Terminal } from './terminal.js';

export const EXIT = { done: 0, failed: 1, usage: 2, awaitingApproval: 3 } as const;

export interface RunOptions {
  client: PlannerClient;
  term: Terminal;
  yes: boolean;
  json: boolean;
  pollMs?: number;
}

type Progress = ReturnType<typeof createProgress>;

/**
 * Prints the plan once it is known and each step once it settles. A one-step read prints neither: its answer and
 * summary line say it all.
 */
function createProgress(term: Terminal, json: boolean) {
  const shown = new Map<string, string>();
  let planShown = false;
  const progress = (run: RunView) => {
    if (json) return;
    if (run.steps.length === 1 && !run.steps[0]?.mutates) return;
    if (!planShown && run.steps.length > 0) {
      planShown = true;
      for (const line of planLines(run, term.style)) term.info(line);
    }
    // One step that settles: the run's summary line says the same, once.
    if (run.steps.length === 1) return;
    for (const step of run.steps) {
      // The stream says "running" for dry runs too: a step shows once it has settled.
      if (step.status === 'pending' || step.status === 'awaiting-approval' || step.status === 'running') continue;
      if (shown.get(step.id) === step.status) continue;
      shown.set(step.id, step.status);
      term.info(stepLine(step, term.style));
    }
  };
  return { progress, stepsShown: () => shown.size > 0 };
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

/**
 * The approval gate on the person's side: --yes, a y/N prompt, or (no terminal) how to approve later and exit 3.
 * The token comes from the planner's approval route, to the starter holding approver only (follow-run.ts).
 */
async function decide(run: RunView, opts: RunOptions): Promise<RunView | number> {
  const { client, term } = opts;
  const token = run.approval?.token;
  for (const line of approvalLines(run, term.style)) term.info(line);
  if (!token) {
    if (opts.json) term.out(JSON.stringify(run, null, 2));
    term.info(`Waiting for approval by a principal with role approver (your token cannot approve run ${run.runId}); an approver approves it with: ganglion approve ${run.runId}`);
    return EXIT.awaitingApproval;
  }
  if (opts.yes) {
    term.info(term.style.dim('approved by --yes'));
    return client.approve(run.runId, token);
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
    return client.approve(run.runId, token);
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
    if (run.status !== 'awaiting-approval') return finish(run, opts, stepsShown());
    const next = await decide(run, opts);
    if (typeof next === 'number') return next;
    run = next;
    progress(run);
  }
}

/** `ganglion approve <id> [token]`: approve, then follow the run to its end. */
export async function approveRun(runId: string, token: string | undefined, opts: RunOptions): Promise<number> {
  return driveRun(await opts.client.approve(runId, token), opts);
}

export async function runCommand(text: string, opts: RunOptions): Promise<number> {
  const runId = newCommandId();
  // The id is the run's before the planner answers: say it first, so a person can follow or find it whatever happens.
  opts.term.info(opts.term.style.dim(`run ${runId}`));
  const first = await opts.client.command(text, { client: 'ganglion-cli', ...(opts.yes ? { yes: true } : {}) }, runId);
  return driveRun(first, opts);
}
