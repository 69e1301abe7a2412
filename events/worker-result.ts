/**
 * The worker's answer: one CloudEvent-shaped JSON line, the LAST result line of its log, written by the worker and read
 * by the Job runner. The code under test writes to the same log, so the runner gives each Job a random key
 * (RESULT_KEY_ENV) and believes only a line carrying the HMAC of that key: a "tests passed" line printed by a test
 * script, which never sees the key, is ignored.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EVENT } from './event-types.js';

export type WorkerRole = 'code-review' | 'run-tests' | 'coverage' | 'verify' | 'prune' | 'invoke';
export const WORKER_ROLES: WorkerRole[] = ['code-review', 'run-tests', 'coverage', 'verify', 'prune', 'invoke'];

/** The env var a worker Job gets its result key in; the worker removes it before it starts anything. */
export const RESULT_KEY_ENV = 'GANGLION_RESULT_KEY';
/** The CloudEvent extension attribute that carries the line's signature. */
const SIG = 'resultsig';

export type ResultLine =
  | { type: typeof EVENT.stepCompleted; data: { summary: string; data: unknown } }
  | { type: typeof EVENT.stepFailed; data: { error: { code: string; message: string; details?: Record<string, unknown> } } };

export const newResultKey = (): string => randomBytes(32).toString('hex');

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
 * are skipped); undefined when the worker never got to write one.
 */
export function findResultLine(log: string, key?: string): ResultLine | undefined {
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
    const { [SIG]: _sig, ...result } = ev;
    if (ev.type === EVENT.stepCompleted && ev.data && typeof (ev.data as { summary?: unknown }).summary === 'string') return result as ResultLine;
    if (ev.type === EVENT.stepFailed && ev.data && typeof (ev.data as { error?: { message?: unknown } }).error?.message === 'string') return result as ResultLine;
  }
  return undefined;
}
