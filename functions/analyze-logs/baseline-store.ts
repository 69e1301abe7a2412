/**
 * The last analysis of each scope (a cluster, and a namespace or all), as LogBaseline objects in the state namespace:
 * every analyze-logs replica compares against the same baseline. A baseline is a snapshot, so the last analysis to
 * finish wins; it is written over the newest resourceVersion, never a stale one.
 */
import type { GanglionObject, StateClient } from '../../cluster-state/ganglion-objects.js';
import { hashedName } from '../../cluster-state/object-name.js';
import { GanglionError } from '../../kernel/errors.js';
import type { Baseline } from './group-patterns.js';

type LogBaseline = GanglionObject<{ scope: string; baseline: Baseline }>;

/** Signatures kept at most (the most frequent): an object stays far below the API server's size limit. */
export const MAX_SIGNATURES = 500;

export const baselineScope = (cluster: string, namespace?: string): string => `${cluster}/${namespace ?? 'all'}`;

/** The scope made DNS-1123-safe, plus a hash of it as given, so contexts that clean up alike keep their own baseline. */
export function baselineName(scope: string): string {
  return hashedName(scope);
}

export async function readBaseline(state: StateClient, scope: string, signal?: AbortSignal): Promise<Baseline | undefined> {
  return (await state.get<LogBaseline>('logbaselines', baselineName(scope), signal))?.spec.baseline;
}

function trimmed(baseline: Baseline): Baseline {
  const entries = Object.entries(baseline);
  if (entries.length <= MAX_SIGNATURES) return baseline;
  return Object.fromEntries(entries.sort((a, b) => b[1].count - a[1].count).slice(0, MAX_SIGNATURES));
}

/** Stores the baseline of the scope; when another analysis wrote it meanwhile, reads it again and writes once more. */
export async function saveBaseline(state: StateClient, scope: string, baseline: Baseline, signal?: AbortSignal): Promise<void> {
  const name = baselineName(scope);
  const spec = { scope, baseline: trimmed(baseline) };
  for (let attempt = 1; ; attempt++) {
    const current = await state.get<LogBaseline>('logbaselines', name, signal);
    try {
      if (current) await state.replace('logbaselines', { ...current, spec }, signal);
      else await state.create<LogBaseline>('logbaselines', { metadata: { name }, spec }, signal);
      return;
    } catch (err) {
      const raced = err instanceof GanglionError && (err.code === 'conflict' || err.code === 'already_exists');
      if (!raced || attempt >= 2) throw err;
    }
  }
}
