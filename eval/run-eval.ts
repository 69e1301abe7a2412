/** Runs a task set k times per task against one planner backend, one fresh stack per attempt, and scores it. */
import { runAttempt, type Attempt, type Backend } from './run-attempt.js';
import { scoreTask, type TaskScore } from './score.js';
import type { EvalTask } from './task.js';

export interface EvalRun {
  scores: TaskScore[];
  attempts: Attempt[];
  /** The whole eval, stacks and setups included. */
  wallMs: number;
}

export async function runEval({ tasks, backend, k, onAttempt = () => {}, settleMs }: {
  tasks: EvalTask[];
  backend: Backend;
  k: number;
  /** Called after each attempt (progress on stderr). */
  onAttempt?: (task: EvalTask, attempt: Attempt, index: number) => void;
  settleMs?: number;
}): Promise<EvalRun> {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a whole number ≥ 1 (got ${k})`);
  const started = Date.now();
  const scores: TaskScore[] = [];
  const all: Attempt[] = [];
  for (const task of tasks) {
    const attempts: Attempt[] = [];
    for (let i = 0; i < k; i++) {
      const attempt = await runAttempt(task, backend, settleMs === undefined ? {} : { settleMs });
      attempts.push(attempt);
      onAttempt(task, attempt, i);
    }
    all.push(...attempts);
    scores.push(scoreTask(task, attempts));
  }
  return { scores, attempts: all, wallMs: Date.now() - started };
}
