/**
 * Step signatures: how Ganglion's own callers (the planner, github-webhook's pipeline) authenticate to a function
 * without a bearer token. The caller signs every call with the approval key — an HMAC over who sends it, the event
 * id, run, step, function and the input as sent — in the CloudEvent extension `stepsig`; a function that holds the
 * same key accepts it as the principal named by the source (`/ganglion/planner` → `planner`), acting as an operator.
 * It proves only who sent the call: a change still needs its approval signature on top.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../kernel/canonical-json.js';

export const STEP_SIGNATURE_EXTENSION = 'stepsig';

export interface SignedCall {
  /** The event's source, e.g. /ganglion/planner. */
  source: string;
  id: string;
  runId?: string;
  stepId?: string;
  fn: string;
  /** The event's data as sent (before the function parses it). */
  input: unknown;
}

export function signStep(key: Buffer, call: SignedCall): string {
  const text = ['ganglion-step-v1', call.source, call.id, call.runId ?? '', call.stepId ?? '', call.fn, canonicalJson(call.input ?? {})].join('\n');
  return createHmac('sha256', key).update(text).digest('hex');
}

export function verifyStep(key: Buffer, call: SignedCall, signature: unknown): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signStep(key, call), 'hex'), Buffer.from(signature, 'hex'));
}

/** The principal's name a signed call's source gives: /ganglion/planner → planner. */
export const signerName = (source: string): string => source.replace(/^\/ganglion\//, '') || 'ganglion';

/** How long a signed route call stays good: a captured one cannot be sent again later. */
export const ROUTE_SIGNATURE_TTL_MS = 120_000;

/**
 * The headers that sign a plain HTTP call to a function's route (no CloudEvent body): the signature covers the
 * method, the path and the time (ce-time), so it reads exactly that route, within ROUTE_SIGNATURE_TTL_MS. Used where
 * a Ganglion caller polls a run.
 */
export function signedRouteHeaders(key: Buffer, call: { caller: string; fn: string; method: string; path: string; id: string }, now = new Date()): Record<string, string> {
  const source = `/ganglion/${call.caller}`;
  const time = now.toISOString();
  const stepsig = signStep(key, { source, id: call.id, fn: call.fn, input: { method: call.method, path: call.path, time } });
  return { 'ce-source': source, 'ce-id': call.id, 'ce-time': time, [`ce-${STEP_SIGNATURE_EXTENSION}`]: stepsig };
}

/** Whether a signed route call's ce-time is recent enough (either side of now, for clocks a little apart). */
export function routeTimeFresh(time: string | undefined, now = Date.now()): time is string {
  const t = time ? Date.parse(time) : NaN;
  return Number.isFinite(t) && Math.abs(now - t) <= ROUTE_SIGNATURE_TTL_MS;
}
