/** analyze-logs: reads the tails of pod logs with bounded concurrency, groups the error patterns, compares with the scope's LogBaseline object, and stores the new baseline. */
import type { z } from 'zod';
import type { KubeClients } from '../../cluster/kube-access.js';
import type { Pod } from '../../cluster/kube-shapes.js';
import { podOwner, podRestarts } from '../../cluster/pod-status-text.js';
import { listPodsChecked, readPodLog } from '../../cluster/read-cluster.js';
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { baselineScope, readBaseline, saveBaseline } from './baseline-store.js';
import { groupPatterns, nextBaseline, type Pattern, type PodLog } from './group-patterns.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;
const CONCURRENCY = 8;

async function readLog(c: KubeClients, pod: Pod, container: string, previous: boolean, tailLines: number): Promise<string> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  try {
    return await readPodLog(c, { name, namespace, container, previous, tailLines }, `read ${previous ? 'previous ' : ''}logs of ${namespace}/${name} ${container}`);
  } catch (err) {
    // A container still waiting, or with no previous instance, has no log: nothing to analyse, not a failure.
    if (err instanceof GanglionError && (err.status === 400 || err.status === 404)) return '';
    throw err;
  }
}

/** The reads to make: every app container's current log, and the previous one of containers that restarted. */
function reads(pods: Pod[]): Array<{ pod: Pod; container: string; previous: boolean; memoryLimit?: string }> {
  const out: Array<{ pod: Pod; container: string; previous: boolean; memoryLimit?: string }> = [];
  for (const pod of pods) {
    const limits = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c.resources?.limits?.memory]));
    for (const s of pod.status?.containerStatuses ?? []) {
      const memoryLimit = limits.get(s.name);
      const base = { pod, container: s.name, ...(memoryLimit ? { memoryLimit } : {}) };
      if ((s.restartCount ?? 0) > 0) out.push({ ...base, previous: true });
      if (s.state?.running || s.state?.terminated) out.push({ ...base, previous: false });
    }
  }
  return out;
}

async function pooled<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  }));
  return out;
}

const TREND_TEXT: Record<Pattern['trend'], string> = { new: 'NEW', rising: 'RISING', steady: 'steady', falling: 'falling' };

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult<{ cluster: string; namespace?: string; podsRead: number; firstRun: boolean; patterns: Pattern[] }>> {
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.namespace || undefined;
  const all = (await listPodsChecked(c, ns)).filter((p) => p.status?.phase !== 'Pending');
  // Restarted and not-ready pods first: that is where the errors are when there are more pods than we read.
  const pods = [...all].sort((a, b) => podRestarts(b) - podRestarts(a)).slice(0, inp.maxPods);
  const jobs = reads(pods);
  const texts = await pooled(jobs, CONCURRENCY, (j) => readLog(c, j.pod, j.container, j.previous, inp.tailLines));
  const logs: PodLog[] = jobs.map((j, i) => {
    const owner = podOwner(j.pod);
    // The kernel's OOM kill leaves no line in the app's own log: the container status says it instead.
    const status = (j.pod.status?.containerStatuses ?? []).find((s) => s.name === j.container);
    const oom = j.previous && (status?.lastState?.terminated?.reason === 'OOMKilled' || status?.state?.terminated?.reason === 'OOMKilled')
      ? `\nOOMKilled: container ${j.container} was killed for going over its memory limit (exit 137)` : '';
    return { namespace: j.pod.metadata?.namespace ?? '', pod: j.pod.metadata?.name ?? '', ...(owner ? { owner } : {}), container: j.container, previous: j.previous, text: (texts[i] ?? '') + oom, ...(j.memoryLimit ? { memoryLimit: j.memoryLimit } : {}) };
  });
  // Baselines live in the home cluster's state namespace, whichever cluster the logs came from.
  const state = stateClient(ctx.kube, ctx.config);
  const scope = baselineScope(c.context, ns);
  const baseline = await readBaseline(state, scope, ctx.signal);
  const patterns = groupPatterns(logs, baseline ?? {});
  await saveBaseline(state, scope, nextBaseline(patterns, ctx.now().toISOString()), ctx.signal);
  const where = ns ? ` in namespace ${ns}` : '';
  const flagged = patterns.filter((p) => p.trend === 'new' || p.trend === 'rising');
  const head = patterns.length
    ? `${patterns.length} error pattern${patterns.length === 1 ? '' : 's'} in the logs of ${pods.length} pods${where}${baseline ? `; ${flagged.length} new or rising since the last analysis` : ' (first analysis: this is now the baseline)'}`
    : `no error patterns in the logs of ${pods.length} pods${where}`;
  const lines = patterns.slice(0, 15).map((p) => `- ${baseline ? `[${TREND_TEXT[p.trend]}] ` : ''}${p.category} ×${p.count} in ${p.owners.length ? p.owners.join(', ') : p.pods.join(', ')}: ${p.sample}\n  fix: ${p.fix}`);
  if (patterns.length > 15) lines.push(`… and ${patterns.length - 15} more (all in data.patterns)`);
  return { summary: [head, ...lines].join('\n'), data: { cluster: c.context, ...(ns ? { namespace: ns } : {}), podsRead: pods.length, firstRun: !baseline, patterns } };
}
