/**
 * pod-logs: resolves a name to one pod, reads the tail of every container's log (and the previous
 * container's when it restarted), and bounds the whole answer to 16 KB with an explicit marker.
 */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import type { ContainerStatus, Pod } from '../../cluster/kube-shapes.js';
import { fitLogSections, LOG_LIMIT_BYTES, type LogSection } from '../../cluster/log-tail.js';
import { analysePod } from '../../cluster/pod-health.js';
import { podOwner, podRestarts } from '../../cluster/pod-status-text.js';
import { listPodsChecked, readPodLog } from '../../cluster/read-cluster.js';
import { resolvePod, type MatchKind } from '../../cluster/resolve-pod.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

export interface LogPart {
  container: string;
  previous: boolean;
  lines: number;
  /** Bytes left out to stay within the limit (0 = whole tail shown). */
  droppedBytes: number;
  text: string;
  /** Why there is no text (container waiting to start, never ran, …). */
  note?: string;
}

export interface PodLogsData {
  cluster: string;
  namespace: string;
  pod: string;
  owner?: string;
  resolvedFrom: { query: string; how: MatchKind; via: string };
  /** Other pods that matched too (namespace/name). */
  others: string[];
  containers: { name: string; init: boolean; restarts: number; state: string }[];
  logs: LogPart[];
  tailLines: number;
  limitBytes: number;
  truncated: boolean;
}

function stateText(s: ContainerStatus | undefined): string {
  if (!s?.state) return 'unknown';
  if (s.state.running) return s.ready === false ? 'running, not ready' : 'running';
  if (s.state.waiting) return `waiting: ${s.state.waiting.reason ?? ''}`.trim();
  const t = s.state.terminated;
  return t ? `terminated: ${t.reason ?? 'Error'} (exit code ${t.exitCode})` : 'unknown';
}

type Target = { name: string; init: boolean; status: ContainerStatus | undefined };

/** Every container of the pod, init containers first, with its status. */
function containersOf(pod: Pod): Target[] {
  const statuses = new Map<string, ContainerStatus>();
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) statuses.set(s.name, s);
  const all = [
    ...(pod.spec?.initContainers ?? []).map((c) => ({ name: c.name, init: true, status: statuses.get(c.name) })),
    ...(pod.spec?.containers ?? []).map((c) => ({ name: c.name, init: false, status: statuses.get(c.name) })),
  ];
  return all;
}

/** App containers always; init containers only when they failed or restarted (their logs explain a stuck pod). */
function containersToRead(pod: Pod, all: Target[], only: string | undefined): Target[] {
  if (only) {
    const hit = all.filter((c) => c.name === only);
    if (!hit.length) {
      throw new GanglionError(404, 'container_not_found', `pod ${pod.metadata?.namespace}/${pod.metadata?.name} has no container "${only}"; containers: ${all.map((c) => c.name).join(', ')}`);
    }
    return hit;
  }
  return all.filter((c) => !c.init || (c.status?.restartCount ?? 0) > 0 || (c.status?.state?.terminated?.exitCode ?? 0) !== 0 || !!c.status?.state?.waiting?.reason?.match(/Error|BackOff/));
}

/** Which logs to read per container: the previous instance when it crashed, the current one unless it is only waiting. */
function logReads(targets: Target[], previous: boolean | undefined): { container: string; previous: boolean }[] {
  const jobs: { container: string; previous: boolean }[] = [];
  for (const t of targets) {
    const crashed = !!t.status?.lastState?.terminated;
    // A crash-looping container has no current instance: its latest logs are the previous instance's, so read them once.
    const waitingAfterCrash = crashed && !!t.status?.state?.waiting;
    const wantPrevious = previous ?? (crashed && (waitingAfterCrash || !!t.status?.state?.running));
    const wantCurrent = previous === undefined ? !waitingAfterCrash : !previous;
    if (wantPrevious) jobs.push({ container: t.name, previous: true });
    if (wantCurrent) jobs.push({ container: t.name, previous: false });
  }
  return jobs;
}

async function readLog(c: KubeClients, pod: Pod, container: string, previous: boolean, inp: Input): Promise<{ text: string } | { note: string }> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  try {
    const text = await readPodLog(c, { name, namespace, container, previous, tailLines: inp.tailLines, ...(inp.sinceSeconds ? { sinceSeconds: inp.sinceSeconds } : {}) },
      `read ${previous ? 'previous ' : ''}logs of container ${container} in pod ${namespace}/${name}`);
    return { text };
  } catch (err) {
    // The API answers 400 for a container that is waiting to start or has no previous instance: that is a fact, not a failure.
    if (err instanceof GanglionError && (err.status === 400 || err.status === 404)) return { note: err.message };
    throw err;
  }
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult<PodLogsData>> {
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.namespace || undefined;
  const pods = await listPodsChecked(c, ns);
  const match = resolvePod(inp.name, pods, ns ? { namespace: ns } : {});
  const pod = match.pod;
  const all = containersOf(pod);
  const targets = containersToRead(pod, all, inp.container);
  const jobs = logReads(targets, inp.previous);
  const results = await Promise.all(jobs.map((j) => readLog(c, pod, j.container, j.previous, inp)));
  const sections: LogSection[] = results.map((r, i) => ({ title: `${jobs[i]!.container}${jobs[i]!.previous ? ' (previous)' : ''}`, text: 'text' in r ? r.text : '' }));
  const fitted = fitLogSections(sections, LOG_LIMIT_BYTES);
  const logs: LogPart[] = fitted.map((f, i) => {
    const r = results[i]!;
    return { container: jobs[i]!.container, previous: jobs[i]!.previous, lines: f.lines, droppedBytes: f.droppedBytes, text: f.text, ...('note' in r ? { note: r.note } : {}) };
  });

  const owner = podOwner(pod);
  const finding = analysePod(pod, { now: ctx.now().getTime() });
  const restarts = podRestarts(pod);
  const resolved = match.how === 'exact' ? '' : `, resolved from "${inp.name}" via ${match.via}`;
  const health = finding ? `${finding.reason}${restarts ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : ''}` : pod.status?.phase ?? 'Unknown';
  const head = `Logs of ${match.namespace}/${match.name} (${health}${resolved}), last ${inp.tailLines} lines per container${match.others.length ? `; ${match.others.length} other matching pod${match.others.length === 1 ? '' : 's'}: ${match.others.slice(0, 3).join(', ')}` : ''}`;
  const body = logs.map((l) => {
    const status = targets.find((t) => t.name === l.container)?.status;
    const exit = l.previous ? status?.lastState?.terminated ?? status?.state?.terminated : undefined;
    const label = `== container ${l.container}${l.previous ? ` (previous instance${exit ? `, exited ${exit.reason ?? 'Error'} code ${exit.exitCode}` : ''})` : ''} — ${l.lines} line${l.lines === 1 ? '' : 's'} ==`;
    return `${label}\n${l.note ? `(no logs: ${l.note})\n` : l.text || '(empty)\n'}`;
  });
  return {
    summary: [head, ...(finding ? [`Problem: ${finding.detail}`] : []), ...body].join('\n').replace(/\n+$/, ''),
    subject: `pod/${match.name}`,
    data: {
      cluster: c.context, namespace: match.namespace, pod: match.name, ...(owner ? { owner } : {}),
      resolvedFrom: { query: inp.name, how: match.how, via: match.via }, others: match.others,
      containers: all.map((t) => ({ name: t.name, init: t.init, restarts: t.status?.restartCount ?? 0, state: stateText(t.status) })),
      logs, tailLines: inp.tailLines, limitBytes: LOG_LIMIT_BYTES, truncated: logs.some((l) => l.droppedBytes > 0),
    },
  };
}
