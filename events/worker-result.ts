/** The worker's answer: one CloudEvent-shaped JSON line, the LAST line of its log, written by the worker and read by the Job runner. */
import { randomUUID } from 'node:crypto';
import { EVENT } from './event-types.js';

export type WorkerRole = 'code-review' | 'run-tests' | 'coverage' | 'verify' | 'prune' | 'invoke';
export const WORKER_ROLES: WorkerRole[] = ['code-review', 'run-tests', 'coverage', 'verify', 'prune', 'invoke'];

export type ResultLine =
  | { type: typeof EVENT.stepCompleted; data: { summary: string; data: unknown } }
  | { type: typeof EVENT.stepFailed; data: { error: { code: string; message: string; details?: Record<string, unknown> } } };

export function formatResultLine(role: WorkerRole, result: ResultLine, now = new Date()): string {
  return JSON.stringify({ specversion: '1.0', id: randomUUID(), source: `/ganglion/worker/${role}`, time: now.toISOString(), datacontenttype: 'application/json', ...result });
}

/** The last line of `log` that is a step result event; undefined when the worker never got to write one. */
export function findResultLine(log: string): ResultLine | undefined {
  const lines = log.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith('{') || !line.includes('"dev.ganglion.step.')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const ev = parsed as { type?: unknown; data?: unknown };
    if (ev.type === EVENT.stepCompleted && ev.data && typeof (ev.data as { summary?: unknown }).summary === 'string') return ev as ResultLine;
    if (ev.type === EVENT.stepFailed && ev.data && typeof (ev.data as { error?: { message?: unknown } }).error?.message === 'string') return ev as ResultLine;
  }
  return undefined;
}
