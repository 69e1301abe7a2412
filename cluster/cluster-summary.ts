/**
 * Cluster status from plain lists of nodes, namespaces, Deployments and pods: structured facts for programs
 * and the few lines a person reads (nodes, namespaces, workloads, pods by phase, what is unhealthy).
 */
import type { Deployment, Namespace, Node } from './kube-shapes.js';
import type { PodFinding, PodTally } from './pod-health.js';
import { formatBytes, formatCores, parseQuantity } from './quantity.js';
import { compareNames } from './name-order.js';

export interface NodeResources {
  cpu: string;
  memory: string;
  pods: string;
}

export interface NodeFacts {
  name: string;
  ready: boolean;
  /** kubectl's STATUS: Ready, NotReady, Unknown, with ",SchedulingDisabled" when cordoned. */
  status: string;
  roles: string[];
  arch: string;
  kubeletVersion: string;
  capacity: NodeResources;
  allocatable: NodeResources;
  /** Pressure conditions that are True (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable). */
  pressure: string[];
}

export interface WorkloadFacts {
  namespace: string;
  name: string;
  kind: 'Deployment';
  ready: number;
  desired: number;
  upToDate: number;
  available: number;
  images: string[];
}

export interface ClusterSummary {
  nodes: NodeFacts[];
  namespaces: string[];
  workloads: WorkloadFacts[];
  pods: { total: number; byPhase: Record<string, number> };
  allocatable: { cpuCores: number; memoryBytes: number };
  unhealthy: PodFinding[];
}

function nodeFacts(n: Node): NodeFacts {
  const conditions = n.status?.conditions ?? [];
  const readyCond = conditions.find((c) => c.type === 'Ready');
  const ready = readyCond?.status === 'True';
  const base = readyCond ? (ready ? 'Ready' : readyCond.status === 'Unknown' ? 'Unknown' : 'NotReady') : 'Unknown';
  const labels = n.metadata?.labels ?? {};
  const roles = Object.keys(labels).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).sort();
  const res = (r: Record<string, string> | undefined): NodeResources => ({ cpu: r?.cpu ?? '', memory: r?.memory ?? '', pods: r?.pods ?? '' });
  return {
    name: n.metadata?.name ?? '',
    ready,
    status: n.spec?.unschedulable ? `${base},SchedulingDisabled` : base,
    roles,
    arch: n.status?.nodeInfo?.architecture || labels['kubernetes.io/arch'] || '',
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? '',
    capacity: res(n.status?.capacity),
    allocatable: res(n.status?.allocatable),
    pressure: conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type),
  };
}

function workloadFacts(d: Deployment): WorkloadFacts {
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    kind: 'Deployment',
    ready: d.status?.readyReplicas ?? 0,
    desired: d.spec?.replicas ?? 1,
    upToDate: d.status?.updatedReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean),
  };
}

const byName = <T extends { namespace?: string; name: string }>(a: T, b: T) =>
  compareNames(`${a.namespace ?? ''}/${a.name}`, `${b.namespace ?? ''}/${b.name}`);

/** `pods`: the tally of a paged read (readFailingPods), or of a list in hand (tallyPods). */
export function summariseCluster(input: { nodes: Node[]; namespaces: Namespace[]; deployments: Deployment[]; pods: PodTally }): ClusterSummary {
  const nodes = input.nodes.map(nodeFacts).sort(byName);
  const { pods } = input;
  let cpuCores = 0;
  let memoryBytes = 0;
  for (const n of nodes) {
    cpuCores += parseQuantity(n.allocatable.cpu) || 0;
    memoryBytes += parseQuantity(n.allocatable.memory) || 0;
  }
  return {
    nodes,
    namespaces: input.namespaces.map((n) => n.metadata?.name ?? '').filter(Boolean).sort(),
    workloads: input.deployments.map(workloadFacts).sort(byName),
    pods: { total: pods.total, byPhase: pods.byPhase },
    allocatable: { cpuCores, memoryBytes },
    unhealthy: pods.failing,
  };
}

/** Short form of a finding for a status line: `apps/api-server-… CrashLoopBackOff (12 restarts, last exit Error code 1)`. */
export function shortFinding(f: PodFinding): string {
  const facts: string[] = [];
  if (f.restarts) facts.push(`${f.restarts} restart${f.restarts === 1 ? '' : 's'}`);
  if (f.lastExit && f.reason !== 'OOMKilled') facts.push(`last exit ${f.lastExit.reason} code ${f.lastExit.exitCode}`);
  if (f.image && /Image|Pull/.test(f.reason)) facts.push(`image ${f.image}`);
  if (f.reason === 'Pending' && f.message) facts.push(f.message);
  if (f.reason === 'NotReady' && f.message) facts.push(f.message);
  return `${f.namespace}/${f.pod} ${f.reason}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

function listed(items: string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** One Deployment as a person reads it: `web/frontend: 2/2 ready (2 desired, 2 up to date, 2 available), image registry.local/frontend:2.3.0`. */
export function workloadLine(w: WorkloadFacts): string {
  return `${w.namespace}/${w.name}: ${w.ready}/${w.desired} ready (${w.desired} desired, ${w.upToDate} up to date, ${w.available} available), image${w.images.length === 1 ? '' : 's'} ${w.images.join(', ') || 'none'}`;
}

/** The few lines a person reads. */
export function statusLines(s: ClusterSummary): string[] {
  const lines: string[] = [];
  const ready = s.nodes.filter((n) => n.ready);
  const arches = [...new Set(s.nodes.map((n) => n.arch).filter(Boolean))].join('/');
  const notReady = s.nodes.filter((n) => !n.ready || n.status.includes('SchedulingDisabled') || n.pressure.length);
  if (!s.nodes.length) lines.push('Nodes: none registered');
  else lines.push(`Nodes: ${ready.length}/${s.nodes.length} ready${arches ? ` (${arches})` : ''}: ${listed(s.nodes.map((n) => n.name), 8)} — ${formatCores(s.allocatable.cpuCores)} CPU, ${formatBytes(s.allocatable.memoryBytes)} memory allocatable`
    + (notReady.length ? `; attention: ${notReady.map((n) => `${n.name} ${n.status}${n.pressure.length ? ` ${n.pressure.join(',')}` : ''}`).join(', ')}` : ''));
  lines.push(s.namespaces.length ? `Namespaces (${s.namespaces.length}): ${listed(s.namespaces, 12)}` : 'Namespaces: none');
  const short = s.workloads.filter((w) => w.ready < w.desired);
  lines.push(`Deployments: ${s.workloads.length - short.length}/${s.workloads.length} fully ready`
    + (short.length ? `; not ready: ${listed(short.map((w) => `${w.namespace}/${w.name} ${w.ready}/${w.desired}`), 8)}` : ''));
  const phases = Object.entries(s.pods.byPhase).sort((a, b) => b[1] - a[1]).map(([p, n]) => `${n} ${p}`);
  lines.push(`Pods: ${s.pods.total}${phases.length ? ` — ${phases.join(', ')}` : ''}`);
  lines.push(s.unhealthy.length ? `Unhealthy pods (${s.unhealthy.length}): ${listed(s.unhealthy.map(shortFinding), 6)}` : 'Unhealthy pods: none');
  return lines;
}
