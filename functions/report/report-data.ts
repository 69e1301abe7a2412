/** The weekly report's facts, pure: nodes and capacity (requests against allocatable), workloads, restarts, rollouts from the audit log, alerts of the week. */
import type { AuditRecord } from '../../audit/audit-log.js';
import { describeSides, describeValues } from '../../cluster/change-text.js';
import { summariseCluster, type NodeFacts } from '../../cluster/cluster-summary.js';
import type { Deployment, Namespace, Node, Pod } from '../../cluster/kube-shapes.js';
import { podOwner, podRestarts } from '../../cluster/pod-status-text.js';
import type { PodFinding, PodTally } from '../../cluster/pod-health.js';
import { parseQuantity } from '../../cluster/quantity.js';
import type { AlertRecord } from '../../monitors/monitor-store.js';

export interface NodeRow extends NodeFacts {
  pods: number;
  cpuRequested: number;
  cpuAllocatable: number;
  memoryRequested: number;
  memoryAllocatable: number;
}

export interface ReportData {
  cluster: string;
  from: string;
  to: string;
  nodes: NodeRow[];
  totals: { cpuRequested: number; cpuAllocatable: number; memoryRequested: number; memoryAllocatable: number; pods: number; podsByPhase: Record<string, number> };
  workloads: { total: number; healthy: number; degraded: Array<{ namespace: string; name: string; ready: number; desired: number; images: string[] }> };
  restarts: Array<{ namespace: string; pod: string; owner?: string; restarts: number; reason?: string }>;
  rollouts: Array<{ time: string; verb: string; object: string; namespace?: string; change: string; result: string; by: string }>;
  alerts: { opened: number; resolved: number; stillFiring: string[]; records: AlertRecord[] };
  unhealthy: PodFinding[];
}

/** What the report needs of each pod, gathered one pod at a time so a paged read never holds the whole list. */
export interface PodLoad {
  /** Active (not Succeeded or Failed) pods per node: how many, and their summed CPU and memory requests. */
  perNode: Map<string, { pods: number; cpu: number; memory: number }>;
  /** Pods that have restarted, in list order. */
  restarted: Array<{ namespace: string; pod: string; owner?: string; restarts: number }>;
}

export interface ReportInput {
  cluster: string;
  nodes: Node[];
  namespaces: Namespace[];
  deployments: Deployment[];
  /** The pods as a paged read tallies them (readFailingPods), with the load collected alongside (podLoadCollector). */
  pods: PodTally & PodLoad;
  audit: AuditRecord[];
  alerts: AlertRecord[];
  from: Date;
  to: Date;
}

const ROLLOUT_VERBS = new Set(['deploy', 'rollback', 'restart', 'scale']);

/** `image placemyparents:1.4 → 2.0` for each field of a {field: value} before/after, as every change reads. */
export function changeText(before: unknown, after: unknown): string {
  if (before && after && typeof before === 'object' && typeof after === 'object' && !Array.isArray(before)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    return describeValues([...new Set([...Object.keys(b), ...Object.keys(a)])].map((field) => ({ field, before: b[field], after: a[field] })));
  }
  return describeSides(before, after);
}

function requests(pod: Pod, what: 'cpu' | 'memory'): number {
  let sum = 0;
  for (const c of pod.spec?.containers ?? []) sum += parseQuantity(c.resources?.requests?.[what]) || 0;
  return sum;
}

/** Collects PodLoad one pod at a time (pass `add` to a paged read). */
export function podLoadCollector(): { add(pod: Pod): void; load: PodLoad } {
  const load: PodLoad = { perNode: new Map(), restarted: [] };
  return {
    load,
    add(pod) {
      const phase = pod.status?.phase;
      const node = pod.spec?.nodeName;
      if (node && phase !== 'Succeeded' && phase !== 'Failed') {
        const row = load.perNode.get(node) ?? { pods: 0, cpu: 0, memory: 0 };
        row.pods += 1;
        row.cpu += requests(pod, 'cpu');
        row.memory += requests(pod, 'memory');
        load.perNode.set(node, row);
      }
      const restarts = podRestarts(pod);
      if (restarts > 0) {
        const owner = podOwner(pod);
        load.restarted.push({ namespace: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '', ...(owner ? { owner } : {}), restarts });
      }
    },
  };
}

export function buildReport(input: ReportInput): ReportData {
  const summary = summariseCluster({ nodes: input.nodes, namespaces: input.namespaces, deployments: input.deployments, pods: input.pods });
  const load = input.pods;
  const nodes: NodeRow[] = summary.nodes.map((n) => {
    const on = load.perNode.get(n.name) ?? { pods: 0, cpu: 0, memory: 0 };
    return {
      ...n, pods: on.pods,
      cpuRequested: on.cpu, cpuAllocatable: parseQuantity(n.allocatable.cpu) || 0,
      memoryRequested: on.memory, memoryAllocatable: parseQuantity(n.allocatable.memory) || 0,
    };
  });
  const sum = (f: (n: NodeRow) => number) => nodes.reduce((s, n) => s + f(n), 0);
  const degraded = summary.workloads.filter((w) => w.ready < w.desired).map((w) => ({ namespace: w.namespace, name: w.name, ready: w.ready, desired: w.desired, images: w.images }));
  const reasons = new Map(summary.unhealthy.map((f) => [`${f.namespace}/${f.pod}`, f.reason]));
  const restarts = [...load.restarted]
    .sort((a, b) => b.restarts - a.restarts)
    .slice(0, 10)
    .map((r) => {
      const reason = reasons.get(`${r.namespace}/${r.pod}`);
      return { ...r, ...(reason ? { reason } : {}) };
    });
  const rollouts = input.audit
    .filter((r) => r.result !== 'attempt' && ROLLOUT_VERBS.has(r.verb))
    .map((r) => ({ time: r.time, verb: r.verb, object: r.object, ...(r.namespace ? { namespace: r.namespace } : {}), change: changeText(r.before, r.after), result: r.result, by: r.approvedBy ? `${r.client} (${r.approvedBy})` : r.client }));
  const opened = new Map<string, number>();
  for (const a of input.alerts) {
    const key = `${a.monitor} ${a.namespace ?? ''}/${a.subject}`;
    opened.set(key, (opened.get(key) ?? 0) + (a.kind === 'alert' ? 1 : -1));
  }
  return {
    cluster: input.cluster, from: input.from.toISOString(), to: input.to.toISOString(), nodes,
    totals: { cpuRequested: sum((n) => n.cpuRequested), cpuAllocatable: sum((n) => n.cpuAllocatable), memoryRequested: sum((n) => n.memoryRequested), memoryAllocatable: sum((n) => n.memoryAllocatable), pods: summary.pods.total, podsByPhase: summary.pods.byPhase },
    workloads: { total: summary.workloads.length, healthy: summary.workloads.length - degraded.length, degraded },
    restarts, rollouts,
    alerts: { opened: input.alerts.filter((a) => a.kind === 'alert').length, resolved: input.alerts.filter((a) => a.kind === 'resolve').length, stillFiring: [...opened].filter(([, n]) => n > 0).map(([k]) => k), records: input.alerts },
    unhealthy: summary.unhealthy,
  };
}
