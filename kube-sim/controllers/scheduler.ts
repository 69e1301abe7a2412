/** The scheduler: binds each new pod to the least-loaded node that fits it, or leaves it Pending with the real message. */
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';
import { parseQuantity, podRequests, qosClass } from './quantity.js';
import type { OwnerIndex } from './owner-index.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkLoop } from './work-loop.js';

interface NodeShape { spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] }; status?: { allocatable?: Record<string, string>; capacity?: Record<string, string>; conditions?: { type: string; status: string }[] } }
interface PodShape { nodeName?: string; nodeSelector?: Record<string, string>; tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[]; schedulerName?: string }

const nodeShape = (node: KubeObject): NodeShape => ({ spec: node.spec as NodeShape['spec'], status: node.status as NodeShape['status'] });
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const RESOURCE_REASONS = new Set(['Insufficient cpu', 'Insufficient memory', 'Too many pods']);

function tolerates(pod: PodShape, taint: { key: string; value?: string; effect: string }): boolean {
  return (pod.tolerations ?? []).some((t) =>
    (t.operator === 'Exists' && (!t.key || t.key === taint.key) || (t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))) &&
    (!t.effect || t.effect === taint.effect));
}

/** "3 Insufficient memory, 1 node(s) didn't match …" — reasons counted over nodes, sorted as the scheduler sorts them. */
function summarise(counts: Map<string, number>): string {
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, n]) => `${n} ${reason}`).join(', ');
}

export function createScheduler({ store, loop, index, events, now }: { store: ObjectStore; loop: WorkLoop; index: OwnerIndex; events: EventRecorder; now: () => number }) {
  const pending = new Set<string>();
  // requests already placed on each node; dropped whenever a pod on that node changes
  const usage = new Map<string, { cpu: number; memory: number; pods: number }>();

  function usedOn(node: string): { cpu: number; memory: number; pods: number } {
    const cached = usage.get(node);
    if (cached) return cached;
    const used = { cpu: 0, memory: 0, pods: 0 };
    for (const other of index.podsOnNode(node)) {
      const phase = (other.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const r = podRequests(other.spec as Parameters<typeof podRequests>[0]);
      used.cpu += r.cpu;
      used.memory += r.memory;
      used.pods += 1;
    }
    usage.set(node, used);
    return used;
  }

  function failures(pod: KubeObject, node: KubeObject): string[] {
    const spec = pod.spec as PodShape;
    const n = nodeShape(node);
    const reasons: string[] = [];
    if (n.spec?.unschedulable) reasons.push('node(s) were unschedulable');
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True') reasons.push("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    for (const taint of n.spec?.taints ?? []) {
      if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(spec, taint)) reasons.push(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    }
    const labels = node.metadata.labels ?? {};
    if (Object.entries(spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) reasons.push("node(s) didn't match Pod's node affinity/selector");
    const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
    const used = usedOn(node.metadata.name);
    const want = podRequests(spec as Parameters<typeof podRequests>[0]);
    if (want.cpu > 0 && used.cpu + want.cpu > parseQuantity(alloc.cpu ?? '0') + 1e-9) reasons.push('Insufficient cpu');
    if (want.memory > 0 && used.memory + want.memory > parseQuantity(alloc.memory ?? '0')) reasons.push('Insufficient memory');
    if (used.pods + 1 > (parseQuantity(alloc.pods ?? '110') || 110)) reasons.push('Too many pods');
    return reasons;
  }

  function load(node: KubeObject): number {
    const alloc = nodeShape(node).status?.allocatable ?? {};
    const used = usedOn(node.metadata.name);
    return used.memory / (parseQuantity(alloc.memory ?? '1') || 1) + used.pods * 1e-3;
  }

  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    const pod = store.peek('pods', key.slice(0, slash), key.slice(slash + 1));
    const spec = pod?.spec as PodShape | undefined;
    if (!pod || !spec || spec.nodeName || pod.metadata.deletionTimestamp) {
      pending.delete(key);
      return;
    }
    const nodes = store.listShared('nodes').items;
    const perNode = nodes.map((node) => ({ node, reasons: failures(pod, node) }));
    const fits = perNode.filter((p) => p.reasons.length === 0).map((p) => p.node);
    const t = iso(now());
    if (fits.length > 0) {
      const chosen = fits.reduce((best, node) => (load(node) < load(best) ? node : best));
      pending.delete(key);
      const bound = store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => {
        (o.spec as PodShape).nodeName = chosen.metadata.name;
        o.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t }], qosClass: qosClass(o.spec as Parameters<typeof qosClass>[0]) };
      });
      events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${chosen.metadata.name}`, { component: 'default-scheduler' });
      return;
    }
    pending.add(key);
    const reasons = new Map<string, number>();
    const preemption = new Map<string, number>();
    for (const { reasons: rs } of perNode) {
      for (const r of rs) reasons.set(r, (reasons.get(r) ?? 0) + 1);
      const why = rs.every((r) => RESOURCE_REASONS.has(r)) ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
      preemption.set(why, (preemption.get(why) ?? 0) + 1);
    }
    const total = nodes.length;
    const message = total === 0
      ? 'no nodes available to schedule pods'
      : `0/${total} nodes are available: ${summarise(reasons)}. preemption: 0/${total} nodes are available: ${summarise(preemption)}.`;
    const current = (pod.status as { conditions?: { type: string; message?: string }[] } | undefined)?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.message === message) return;
    const updated = store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => {
      o.status = {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: t }],
        qosClass: qosClass(o.spec as Parameters<typeof qosClass>[0]),
      };
    });
    events.record(updated, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
  }

  function onEvent(ev: StoreEvent): void {
    if (ev.resource === 'nodes') {
      for (const key of pending) loop.enqueue('scheduler', key);
      return;
    }
    if (ev.resource !== 'pods') return;
    const spec = ev.object.spec as PodShape | undefined;
    if (spec?.nodeName) usage.delete(spec.nodeName);
    const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
    if (ev.type === 'DELETED') {
      pending.delete(key);
      // freed capacity may let a Pending pod in
      if (spec?.nodeName) for (const k of pending) loop.enqueue('scheduler', k);
      return;
    }
    if (!spec?.nodeName && (!spec?.schedulerName || spec.schedulerName === 'default-scheduler')) loop.enqueue('scheduler', key);
  }

  return { reconcile, onEvent };
}
