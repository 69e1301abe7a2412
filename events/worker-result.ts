/**
 * The worker's answer: one CloudEvent-shaped JSON line, the LAST result line of its log, written by the worker and read
 * by the Job runner. The code under test writes to the same log, so the runner gives each Job a random key
 * (RESULT_KEY_ENV) and believes only a line carrying the HMAC of that key: a "tests passed" line printed by a test
 * script is ignored.
 *
 * The key alone is not enough: code running in the worker's container as the same user can read it from
 * /proc/<worker>/environ (the kernel keeps the environment the process started with, whatever the worker deletes),
 * and a process it leaves behind can write after the worker's own line. So the verdict also travels on a channel
 * only the worker sets: its exit code, which the kubelet records in the pod's status. A line is believed only when it
 * agrees with that code (0 completed, 3 completed with failures, anything else failed).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EVENT } from './event-types.js';

export type WorkerRole = 'code-review' | 'run-tests' | 'coverage' | 'verify' | 'prune' | 'invoke' | 'train';
export const WORKER_ROLES: WorkerRole[] = ['code-review', 'run-tests', 'coverage', 'verify', 'prune', 'invoke', 'train'];

/** The env var a worker Job gets its result key in; the worker removes it before it starts anything. */
export const RESULT_KEY_ENV = 'GANGLION_RESULT_KEY';
/** The CloudEvent extension attribute that carries the line's signature. */
const SIG = 'resultsig';

export type ResultLine =
  | { type: typeof EVENT.stepCompleted; data: { summary: string; data: unknown } }
  | { type: typeof EVENT.stepFailed; data: { error: { code: string; message: string; details?: Record<string, unknown> } } };

export const newResultKey = (): string => randomBytes(32).toString('hex');

/** The worker's exit code when its role completed but reports failures (tests that failed). */
export const EXIT_COMPLETED_WITH_FAILURES = 3;

/** The exit code a worker gives with `result`: the part of the verdict the code under test cannot forge. */
export function resultExitCode(result: ResultLine): number {
  if (result.type !== EVENT.stepCompleted) return 1;
  const data = result.data.data as { failed?: unknown } | null | undefined;
  return data && typeof data === 'object' && typeof data.failed === 'number' && data.failed > 0 ? EXIT_COMPLETED_WITH_FAILURES : 0;
}

/**
 * Whether `result` can be the worker's own line, given how its container ended: the exit code the pod's status
 * reports, or, when the cluster gave none, only whether the Job completed.
 */
export function agreesWithExit(result: ResultLine, exit: { exitCode?: number; completed: boolean }): boolean {
  const own = resultExitCode(result);
  if (exit.exitCode !== undefined) return own === 1 ? exit.exitCode !== 0 && exit.exitCode !== EXIT_COMPLETED_WITH_FAILURES : own === exit.exitCode;
  return exit.completed ? own === 0 : own !== 0;
}

const sign = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

/** The result line; signed when the worker was given a key (a CronJob's invoke run has none, and nobody reads it). */
export function formatResultLine(role: WorkerRole, result: ResultLine, now = new Date(), key?: string): string {
  const event = { specversion: '1.0', id: randomUUID(), source: `/ganglion/worker/${role}`, time: now.toISOString(), datacontenttype: 'application/json', ...result };
  const text = JSON.stringify(event);
  return key ? JSON.stringify({ ...event, [SIG]: sign(key, text) }) : text;
}

function signedBy(key: string, ev: Record<string, unknown>): boolean {
  const { [SIG]: sig, ...rest } = ev;
  if (typeof sig !== 'string' || !/^[0-9a-f]{64}$/.test(sig)) return false;
  // the line was written by JSON.stringify, so parsing and writing it again gives back the signed text
  return timingSafeEqual(Buffer.from(sig, 'hex'), Buffer.from(sign(key, JSON.stringify(rest)), 'hex'));
}

/**
 * The last line of `log` that is a step result event (signed with `key` when one is given: unsigned or forged lines
 * are skipped; agreeing with `exit` when given: lines that contradict the worker's exit code are skipped); undefined
 * when the worker never got to write one.
 */
export function findResultLine(log: string, key?: string, exit?: { exitCode?: number; completed: boolean }): ResultLine | undefined {
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
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
    const ev = parsed as Record<string, unknown> & { type?: unknown; data?: unknown };
    if (key !== undefined && !signedBy(key, ev)) continue;
    const { [SIG]: _sig, ...rest } = ev;
    const result = rest as ResultLine;
    const wellFormed = (ev.type === EVENT.stepCompleted && ev.data && typeof (ev.data as { summary?: unknown }).summary === 'string')
      || (ev.type === EVENT.stepFailed && ev.data && typeof (ev.data as { error?: { message?: unknown } }).error?.message === 'string');
    if (wellFormed && (!exit || agreesWithExit(result, exit))) return result;
  }
  return undefined;
}
