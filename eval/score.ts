/** The eval's figures from its attempts: pass@1 and pass^k per task, per category and overall (pure, table-tested). */
import type { Attempt } from './run-attempt.js';
import type { Category, EvalTask, Tag } from './task.js';

/** The figures of one task (per attempt) or of a group of tasks (over all their attempts). */
interface Figures {
  /** Share of attempts that passed: the estimate of pass@1 (a group: the mean over its tasks). */
  pass1: number;
  /** 1 when every one of the k attempts passed (τ-bench's pass^k with n = k), else 0 (a group: the mean). */
  passK: number;
  /** Undefined when no model was called (the embedded planner). */
  calls?: number;
  promptTokens?: number;
  completionTokens?: number;
  wallMs: number;
}

export interface TaskScore extends Figures {
  task: string;
  category: Category;
  tags: Tag[];
  attempts: number;
  passes: number;
  /** The first failed attempt's problems, for the person reading the table. */
  why: string[];
  errors: string[];
}

export interface Totals extends Figures {
  tasks: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function scoreTask(task: EvalTask, attempts: Attempt[]): TaskScore {
  const passes = attempts.filter((a) => a.passed).length;
  const metered = attempts.filter((a) => a.usage);
  const failed = attempts.find((a) => !a.passed && !a.error);
  return {
    task: task.name,
    category: task.category,
    tags: task.tags ?? [],
    attempts: attempts.length,
    passes,
    pass1: attempts.length ? passes / attempts.length : 0,
    passK: attempts.length > 0 && passes === attempts.length ? 1 : 0,
    ...(metered.length ? {
      calls: mean(metered.map((a) => a.usage?.calls ?? 0)),
      promptTokens: mean(metered.map((a) => a.usage?.promptTokens ?? 0)),
      completionTokens: mean(metered.map((a) => a.usage?.completionTokens ?? 0)),
    } : {}),
    wallMs: mean(attempts.map((a) => a.wallMs)),
    why: failed?.problems ?? [],
    errors: attempts.flatMap((a) => (a.error ? [a.error] : [])),
  };
}

/** Means of pass@1 and pass^k over tasks; model figures summed over every attempt; wall time summed over attempts. */
export function totalsOf(scores: TaskScore[]): Totals {
  const metered = scores.filter((s) => s.calls !== undefined);
  const sum = (f: (s: TaskScore) => number) => metered.reduce((n, s) => n + f(s) * s.attempts, 0);
  return {
    tasks: scores.length,
    pass1: mean(scores.map((s) => s.pass1)),
    passK: mean(scores.map((s) => s.passK)),
    ...(metered.length ? { calls: sum((s) => s.calls ?? 0), promptTokens: sum((s) => s.promptTokens ?? 0), completionTokens: sum((s) => s.completionTokens ?? 0) } : {}),
    wallMs: scores.reduce((n, s) => n + s.wallMs * s.attempts, 0),
  };
}

export function byCategory(scores: TaskScore[]): Map<Category, Totals> {
  const groups = new Map<Category, TaskScore[]>();
  for (const s of scores) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  return new Map([...groups].map(([c, list]) => [c, totalsOf(list)]));
}
