/**
 * Holding a call while its function starts: at gateway start-up, after a redeploy or while a crashed process comes
 * back, a call waits (bounded) for the start instead of meeting a function that is not serving yet.
 */
import type { FnResponse } from '../function-kit/function-module.js';
import type { FunctionBackend } from './function-backend.js';
import { textReply } from './reply.js';

/** How long a call waits for its function's start before it is answered 503 with Retry-After. */
export const DEFAULT_START_WAIT_MS = 30_000;

/** True when `pending` settles within `ms`, false past it; rejects with the signal's reason when aborted first. */
export function settlesWithin(pending: Promise<unknown>, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const done = (value: boolean) => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); resolve(value); };
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => done(false), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(() => done(true), () => done(true));
  });
}

/**
 * For a function not serving now: undefined once its start settles (or when none is under way: then the backend's own answer says why not);
 * a 503 naming the function when its start takes longer than `waitMs`.
 */
export async function waitForStart(backend: FunctionBackend, name: string, waitMs: number, signal: AbortSignal): Promise<FnResponse | undefined> {
  const deadline = Date.now() + waitMs;
  // A first start that fails is followed by a restart (process modes): the call waits for that too, within waitMs.
  for (let pending = backend.starting(name); pending && backend.available(name) === 0; pending = backend.starting(name)) {
    if (!(await settlesWithin(pending, deadline - Date.now(), signal))) {
      const retry = String(Math.max(1, Math.ceil(waitMs / 10_000)));
      return textReply(503, `function ${name} is still starting after ${waitMs / 1000} s; nothing was run, try again in ${retry} s`, { 'retry-after': retry, 'x-openfaas-internal': 'gateway' });
    }
  }
  return undefined;
}
