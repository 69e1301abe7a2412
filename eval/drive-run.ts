/**
 * Sends one command to the planner as a person with an operator token would, and approves each change the run waits
 * for with a second person's approver token (`ganglion approve`'s `{"self": true}`), recording every wait.
 */
import type { RunView } from '../events/run-schema.js';

export interface DrivenRun {
  /** The run as it ended, or undefined when the planner never answered with one (then `error` says why). */
  run?: RunView;
  /** How many times the run stopped for approval before a change, and what each stop showed. */
  approvals: { changes: string[] }[];
  /** Milliseconds from sending the command to the run's end (approvals included). */
  wallMs: number;
  error?: string;
}

export interface DriveOptions {
  gatewayUrl: string;
  operatorToken: string;
  approverToken: string;
  text: string;
  /** The whole run, approvals included. */
  timeoutMs: number;
  /** What the person does at each approval prompt: approve (they asked for a change) or reject (they asked for a read). */
  decide: 'approve' | 'reject';
  /** Approval rounds allowed before the harness gives up (a re-plan may add changes that wait again). */
  maxApprovals?: number;
  pollMs?: number;
}

const DONE = new Set(['completed', 'failed', 'rejected', 'needs-input']);

async function call(url: string, token: string, init: { method?: string; body?: unknown }): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  return { status: res.status, body };
}

const isRun = (body: unknown): body is RunView => typeof body === 'object' && body !== null && 'runId' in body && 'status' in body;
const describe = (a: { status: number; body: unknown }) => `HTTP ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`;

export async function driveRun({ gatewayUrl, operatorToken, approverToken, text, decide, timeoutMs, maxApprovals = 4, pollMs = 200 }: DriveOptions): Promise<DrivenRun> {
  const base = `${gatewayUrl}/function/planner`;
  const started = Date.now();
  const approvals: DrivenRun['approvals'] = [];
  const end = (run: RunView | undefined, error?: string): DrivenRun => ({ ...(run ? { run } : {}), approvals, wallMs: Date.now() - started, ...(error ? { error } : {}) });

  let answer = await call(base, operatorToken, { method: 'POST', body: { text, context: { client: 'ganglion-eval' } } });
  if (!isRun(answer.body)) return end(undefined, `the planner answered no run: ${describe(answer)}`);
  let run: RunView = answer.body;
  while (!DONE.has(run.status)) {
    if (Date.now() - started > timeoutMs) return end(run, `the run was still ${run.status} after ${timeoutMs} ms`);
    if (run.status === 'awaiting-approval') {
      if (approvals.length >= maxApprovals) return end(run, `the run asked for approval more than ${maxApprovals} times`);
      approvals.push({ changes: (run.approval?.changes ?? []).map((c) => c.text) });
      answer = await call(`${base}/runs/${run.runId}/${decide}`, approverToken, { method: 'POST', body: { self: true } });
    } else {
      await new Promise((r) => setTimeout(r, pollMs));
      answer = await call(`${base}/runs/${run.runId}`, operatorToken, {});
    }
    if (!isRun(answer.body)) return end(run, `the planner answered no run: ${describe(answer)}`);
    run = answer.body;
  }
  return end(run);
}

/** What the run told the person: its summary, question, error and each step's summary. */
export function answerText(run: RunView | undefined): string {
  if (!run) return '';
  return [run.summary, run.question, run.error?.message, ...run.steps.map((s) => s.summary)].filter(Boolean).join('\n');
}
