/**
 * Invokes a function through the gateway as a binary-mode `dev.ganglion.step.requested` CloudEvent (naming the
 * function in `targetfunction`, what a Knative Trigger filters on) and reads its answer event. Retries transient
 * failures (502/503/504/429, network errors) with the same ce-id, so the function's source+id dedupe answers a
 * repeat instead of running the step twice.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEvent, readRequest, toBinary, type ReceivedEvent } from './cloud-event.js';
import { DEFAULT_HOPS, EVENT, sourceOf, APPROVAL_EXTENSION, TARGET_EXTENSION } from './event-types.js';
import { GanglionError, isAbortError } from '../kernel/errors.js';
import { signStep, STEP_SIGNATURE_EXTENSION } from '../access/step-signature.js';

export interface InvokeOptions {
  gatewayUrl: string;
  fn: string;
  input: unknown;
  runId?: string;
  stepId?: string;
  traceparent?: string;
  /** signApproval(...) for this exact step, when it mutates and was approved. */
  approval?: string;
  /** The event id; the same id on every retry. Default: a new uuid per call (not per attempt). */
  id?: string;
  /** Who sends it: `source` becomes /ganglion/<caller>. Default planner. */
  caller?: string;
  /**
   * The approval key: the call is signed with it (the `stepsig` extension), which is how the function knows a
   * Ganglion caller sent it (access/step-signature.ts). Without it the call carries no identity and is refused 401.
   */
  signKey?: Buffer;
  hopsLeft?: number;
  /** Per attempt. Default 120 s. */
  timeoutMs?: number;
  /** Attempts for transient failures. Default 3. */
  attempts?: number;
  signal?: AbortSignal;
  /** Injected for tests: delay between attempts. */
  delayFn?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface InvokeResult {
  status: number;
  event: ReceivedEvent;
}

const RETRYABLE = new Set([408, 429, 502, 503, 504]);

/** A non-CloudEvent answer (gateway 404 text, proxy error page) becomes a step.failed event that says what came back. */
function synthesise(status: number, fn: string, text: string, id: string): ReceivedEvent {
  const message = text.trim().slice(0, 500) || `HTTP ${status}`;
  const code = status === 404 ? 'function_not_found' : status === 504 ? 'timeout' : status >= 500 ? 'function_unavailable' : 'function_error';
  return {
    mode: 'binary', id, source: sourceOf(fn), type: status < 400 ? EVENT.stepCompleted : EVENT.stepFailed, extensions: {},
    data: status < 400 ? { summary: message, data: text } : { error: { code, message: `${fn} answered ${status}: ${message}` } },
  };
}

async function attempt(url: string, headers: Record<string, string>, body: string, fn: string, id: string, timeoutMs: number, signal?: AbortSignal): Promise<InvokeResult> {
  const res = await fetch(url, {
    method: 'POST', headers, body,
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  const answerHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => { answerHeaders[k] = v; });
  if (!Object.keys(answerHeaders).some((k) => k.startsWith('ce-')) && !(answerHeaders['content-type'] ?? '').startsWith('application/cloudevents')) {
    return { status: res.status, event: synthesise(res.status, fn, raw.toString('utf8'), id) };
  }
  const received = readRequest(answerHeaders, raw);
  if (received.kind !== 'event') return { status: res.status, event: synthesise(res.status, fn, raw.toString('utf8'), id) };
  return { status: res.status, event: received.event };
}

export async function invokeFunction(opts: InvokeOptions): Promise<InvokeResult> {
  const { gatewayUrl, fn, input, runId, stepId, traceparent, approval, caller = 'planner', hopsLeft = DEFAULT_HOPS, timeoutMs = 120_000, attempts = 3, signal } = opts;
  const delay = opts.delayFn ?? ((ms: number, s?: AbortSignal) => sleep(ms, undefined, s ? { signal: s } : {}));
  const id = opts.id ?? randomUUID();
  const source = sourceOf(caller);
  const stepsig = opts.signKey ? signStep(opts.signKey, { source, id, runId, stepId, fn, input: input ?? {} }) : undefined;
  const event = createEvent({
    id, type: EVENT.stepRequested, source, data: input ?? {},
    extensions: { runid: runId, stepid: stepId, traceparent, hopsleft: hopsLeft, [APPROVAL_EXTENSION]: approval, [TARGET_EXTENSION]: fn, [STEP_SIGNATURE_EXTENSION]: stepsig },
  });
  const { headers, body } = toBinary(event);
  const url = `${gatewayUrl.replace(/\/+$/, '')}/function/${encodeURIComponent(fn)}`;
  let last: unknown;
  let lastResult: InvokeResult | undefined;
  for (let i = 0; i < Math.max(1, attempts); i++) {
    if (i > 0) await delay(200 * 2 ** (i - 1), signal);
    try {
      const result = await attempt(url, headers, body, fn, id, timeoutMs, signal);
      if (!RETRYABLE.has(result.status) || i === attempts - 1) return result;
      lastResult = result;
    } catch (err) {
      if (signal?.aborted) throw err;
      last = err;
      lastResult = undefined;
    }
  }
  if (lastResult) return lastResult;
  if (isAbortError(last)) throw new GanglionError(504, 'timeout', `${fn} did not answer within ${timeoutMs} ms through ${gatewayUrl}`, { cause: last });
  const reason = last instanceof Error ? (last.cause instanceof Error ? last.cause.message : last.message) : String(last);
  throw new GanglionError(502, 'gateway_unreachable', `cannot invoke ${fn} through ${gatewayUrl} (${reason}); check OPENFAAS_URL and that the gateway is running`, { cause: last });
}
