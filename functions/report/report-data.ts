/** The weekly report's facts, pure: nodes and capacity (requests against allocatable), workloads, restarts, rollouts from the audit log, alerts of the week. */
import type { AuditRecord } from '../../audit/audit-log.js';
import { summariseCluster, type NodeFacts } from '../../cluster/cluster-summary.js';
import type { Deployment, KubeEvent, Namespace, Node, Pod } from '../../cluster/kube-shapes.js';
import { podOwner, podRestarts } from '../../cluster/pod-status-text.js';
import type { PodFinding } from '../../cluster/pod-health.js';
import { parseQuantity } from '../../cluster/quantity.js';
import type { AlertRecord } from '../../monitors/alert-log.js';

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

export interface ReportInput {
  cluster: string;
  nodes: Node[];
  namespaces: Namespace[];
  deployments: Deployment[];
  pods: Pod[];
  events: KubeEvent[];
  audit: AuditRecord[];
  alerts: AlertRecord[];
  from: Date;
  to: Date;
}

const ROLLOUT_VERBS = new Set(['deploy', 'rollback', 'restart', 'scale']);

function sideText(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `image a → b` for each field of a {field: value} before/after. */
export function changeText(before: unknown, after: unknown): string {
  if (before && after && typeof before === 'object' && typeof after === 'object' && !Array.isArray(before)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    return [...new Set([...Object.keys(b), ...Object.keys(a)])].map((f) => `${f} ${sideText(b[f])} → ${sideText(a[f])}`).join(', ');
  }
  return `${sideText(before)} → ${sideText(after)}`;
}

function requests(pod: Pod, what: 'cpu' | 'memory'): number {
  let sum = 0;
  for (const c of pod.spec?.containers ?? []) sum += parseQuantity(c.resources?.requests?.[what]) || 0;
  return sum;
}

export function buildReport(input: ReportInput): ReportData {
  const summary = summariseCluster({ nodes: input.nodes, namespaces: input.namespaces, deployments: input.deployments, pods: input.pods, events: input.events, now: input.to.getTime() });
  const active = input.pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const nodes: NodeRow[] = summary.nodes.map((n) => {
    const on = active.filter((p) => p.spec?.nodeName === n.name);
    return {
      ...n, pods: on.length,
      cpuRequested: on.reduce((s, p) => s + requests(p, 'cpu'), 0), cpuAllocatable: parseQuantity(n.allocatable.cpu) || 0,
      memoryRequested: on.reduce((s, p) => s + requests(p, 'memory'), 0), memoryAllocatable: parseQuantity(n.allocatable.memory) || 0,
    };
  });
  const sum = (f: (n: NodeRow) => number) => nodes.reduce((s, n) => s + f(n), 0);
  const degraded = summary.workloads.filter((w) => w.ready < w.desired).map((w) => ({ namespace: w.namespace, name: w.name, ready: w.ready, desired: w.desired, images: w.images }));
  const reasons = new Map(summary.unhealthy.map((f) => [`${f.namespace}/${f.pod}`, f.reason]));
  const restarts = input.pods
    .map((p) => ({ p, n: podRestarts(p) }))
    .filter(({ n }) => n > 0)
    .sort((a, b) => b.n - a.n)
    .slice(0, 10)
    .map(({ p, n }) => {
      const key = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
      const owner = podOwner(p);
      const reason = reasons.get(key);
      return { namespace: p.metadata?.namespace ?? '', pod: p.metadata?.name ?? '', ...(owner ? { owner } : {}), restarts: n, ...(reason ? { reason } : {}) };
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
