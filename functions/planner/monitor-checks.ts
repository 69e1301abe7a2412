/**
 * The checks a person can run by name: every Monitor object in the state namespace, read with the planner's own
 * ServiceAccount and reused for a moment (as the deployed-function list is), so a burst of commands lists them once.
 */
import type { GanglionObject, StateClient } from '../../cluster-state/ganglion-objects.js';
import { toPublicError, isAbortError } from '../../kernel/errors.js';
import type { CheckFact, ClusterFacts } from './plan.js';

type MonitorObject = GanglionObject<{ description?: string; rule?: { kind?: string }; schedule?: string }>;
export type KnownChecks = Pick<ClusterFacts, 'checks' | 'checksUnavailable'>;

export function checkFact(o: MonitorObject): CheckFact {
  const rule = o.spec.rule?.kind ?? '';
  return { name: o.metadata.name, rule, description: o.spec.description || rule, schedule: o.spec.schedule ?? '' };
}

/** Short: a person who has just set up a monitor runs it seconds later, and must not be told it does not exist. */
export const CHECKS_TTL_MS = 2_000;

export function createMonitorChecks({ state, ttlMs = CHECKS_TTL_MS, now = Date.now }: { state: StateClient; ttlMs?: number; now?: () => number }) {
  let cached: { checks: CheckFact[]; at: number } | undefined;
  /** The checks, or why they could not be read (planning goes on; a check command then says why). */
  return async function monitorChecks(signal?: AbortSignal): Promise<KnownChecks> {
    if (cached && now() - cached.at < ttlMs) return { checks: cached.checks };
    try {
      const checks = (await state.listAll<MonitorObject>('monitors', {}, signal)).map(checkFact).sort((a, b) => a.name.localeCompare(b.name));
      cached = { checks, at: now() };
      return { checks };
    } catch (err) {
      if (isAbortError(err)) throw err;
      return { checksUnavailable: toPublicError(err).message };
    }
  };
}

export type MonitorChecks = ReturnType<typeof createMonitorChecks>;
