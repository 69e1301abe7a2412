/**
 * kube-events: the events of a namespace or of one object and what it owns, since a time, newest first, bounded in
 * lines and bytes. "What changed in the last hour" is answered by what the cluster itself recorded.
 */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { kubeAge } from '../../cluster/kube-age.js';
import { timeOf, type KubeEvent } from '../../cluster/kube-shapes.js';
import { capOutput } from '../../cluster/output-cap.js';
import { listEvents, requireNamespace } from '../../cluster/read-cluster.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

export interface EventLine {
  at: string;
  type: string;
  reason: string;
  object: string;
  namespace?: string;
  message: string;
  count: number;
}

export interface KubeEventsData {
  cluster: string;
  namespace?: string;
  /** The events shown (the first lines within the cap), newest first. */
  events: EventLine[];
  /** Every event that matched, shown or not. */
  matched: number;
  /** Events the cluster keeps in that scope before the name/kind/since filters. */
  scanned: number;
  trimmed: { lines: number; bytes: number };
}

/** When an event was last seen: series and legacy events fill different fields. */
export const seenAt = (e: KubeEvent): number => timeOf(e.lastTimestamp) || timeOf(e.eventTime) || timeOf(e.firstTimestamp) || timeOf(e.metadata?.creationTimestamp);

/** The object itself, and what it owns by name: ReplicaSets and pods (pod-template hashes), StatefulSet and Job pods. */
export function aboutObject(name: string): (objectName: string) => boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const owned = new RegExp(`^${escaped}(-[bcdfghjklmnpqrstvwxz2456789]{5,10}|-\\d+){1,2}$`);
  return (n) => n === name || owned.test(n);
}

const since = (s: number) => (s % 86_400 === 0 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`);

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult<KubeEventsData>> {
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.namespace || undefined;
  const now = ctx.now().getTime();
  const fields = [inp.kind ? `involvedObject.kind=${inp.kind[0]?.toUpperCase()}${inp.kind.slice(1)}` : '', inp.warningsOnly ? 'type=Warning' : ''].filter(Boolean).join(',');
  const [, all] = await Promise.all([ns ? requireNamespace(c, ns) : undefined, listEvents(c, ns, fields)]);
  const matches = inp.name ? aboutObject(inp.name) : () => true;
  const from = inp.sinceSeconds ? now - inp.sinceSeconds * 1000 : 0;
  const picked = all.filter((e) => matches(e.involvedObject?.name ?? '') && seenAt(e) >= from).sort((a, b) => seenAt(b) - seenAt(a));
  const events: EventLine[] = picked.map((e) => ({
    at: new Date(seenAt(e)).toISOString(), type: e.type ?? '', reason: e.reason ?? '', object: `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
    ...(e.involvedObject?.namespace ? { namespace: e.involvedObject.namespace } : {}), message: (e.message ?? '').replace(/\s+/g, ' ').trim(), count: e.count ?? 1,
  }));
  const where = ns ? ` in namespace ${ns}` : ' in all namespaces';
  const about = inp.name ? ` about ${inp.kind ? `${inp.kind} ` : ''}${inp.name} and what it owns` : inp.kind ? ` about ${inp.kind}s` : '';
  const window = inp.sinceSeconds ? ` in the last ${since(inp.sinceSeconds)}` : '';
  const rows = events.map((e) => `${kubeAge(now - Date.parse(e.at)).padEnd(7)} ${e.type.padEnd(8)} ${e.reason.padEnd(22)} ${ns ? '' : `${e.namespace ?? '-'}/`}${e.object}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`);
  const capped = capOutput(rows.join('\n'), { narrow: 'narrow it with a namespace, an object name, warningsOnly or a shorter sinceSeconds' });
  const head = `${events.length} ${inp.warningsOnly ? 'warning ' : ''}event${events.length === 1 ? '' : 's'}${about}${where}${window}, newest first${events.length ? ':' : ` (the cluster keeps ${all.length} in that scope; events expire, by default after an hour)`}`;
  return {
    summary: events.length ? `${head}\n${capped.text}` : head,
    ...(inp.name ? { subject: inp.name } : {}),
    data: { cluster: c.context, ...(ns ? { namespace: ns } : {}), events: events.slice(0, events.length - capped.droppedLines), matched: events.length, scanned: all.length, trimmed: { lines: capped.droppedLines, bytes: capped.droppedBytes } },
  };
}
