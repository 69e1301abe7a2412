/**
 * metrics.k8s.io/v1beta1 for `kubectl top`: usage computed from the running pods on each request — a steady,
 * per-pod share of what each container requests (simulated figures, like the rest of kube-sim).
 */
import { arr, obj, str, type JsonMap } from '../json-fields.js';
import type { KubeObject } from '../store.js';
import type { ResourceRequest } from './api-context.js';
import { notFound } from './object-handlers.js';
import { sendJson } from './respond.js';

function parseCpu(v: string): number {
  if (!v) return 0;
  return v.endsWith('m') ? Number(v.slice(0, -1)) : Number(v) * 1000;
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 };
function parseBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]i?)?$/.exec(v);
  return m ? Number(m[1]) * (m[2] ? UNITS[m[2]] ?? 1 : 1) : 0;
}

/** A stable number in [0, 1) from a name, so figures do not jump between calls. */
function share(name: string): number {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) / 2 ** 32;
}

function containerUsage(pod: KubeObject, container: JsonMap): { cpu: number; memory: number } {
  const resources = obj(container.resources);
  const requests = obj(resources.requests);
  const limits = obj(resources.limits);
  const f = share(`${pod.metadata.name}/${str(container.name)}`);
  const cpu = Math.max(1, Math.round((parseCpu(str(requests.cpu)) || 100) * (0.1 + 0.5 * f)));
  const memory = Math.round((parseBytes(str(requests.memory)) || parseBytes(str(limits.memory)) || 64 * 2 ** 20) * (0.4 + 0.4 * f));
  return { cpu, memory };
}

const running = (pod: KubeObject) => str(obj(pod.status).phase) === 'Running' && !pod.metadata.deletionTimestamp;
const quantity = (u: { cpu: number; memory: number }) => ({ cpu: `${u.cpu}m`, memory: `${Math.round(u.memory / 1024)}Ki` });

function podMetrics(pod: KubeObject, now: string): JsonMap {
  const containers = arr(obj(pod.spec).containers).map((c) => ({ name: str(c.name), usage: quantity(containerUsage(pod, c)) }));
  return { kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, labels: pod.metadata.labels ?? {}, creationTimestamp: now }, timestamp: now, window: '15s', containers };
}

function nodeMetrics(node: KubeObject, pods: readonly KubeObject[], now: string): JsonMap {
  // the system daemons of a small node: kubelet, containerd, k3s
  const total = { cpu: 150, memory: 400 * 2 ** 20 };
  for (const pod of pods) {
    if (obj(pod.spec).nodeName !== node.metadata.name) continue;
    for (const c of arr(obj(pod.spec).containers)) {
      const u = containerUsage(pod, c);
      total.cpu += u.cpu;
      total.memory += u.memory;
    }
  }
  return { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: node.metadata.name, labels: node.metadata.labels ?? {}, creationTimestamp: now }, timestamp: now, window: '20s', usage: quantity(total) };
}

export function handleMetrics(r: ResourceRequest): void {
  const { store } = r.ctx;
  const { info, namespace, name } = r.target;
  const now = new Date(r.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const selector = { labelSelector: r.url.searchParams.get('labelSelector') ?? '' };
  const pods = store.listShared('pods', { ...(namespace && info.resource === 'pods' ? { namespace } : {}), ...(info.resource === 'pods' ? selector : {}) }).items.filter(running);
  const items = info.resource === 'pods'
    ? pods.filter((p) => !name || p.metadata.name === name).map((p) => podMetrics(p, now))
    : store.listShared('nodes', selector).items.filter((n) => !name || n.metadata.name === name).map((n) => nodeMetrics(n, pods, now));
  if (name) {
    if (items.length === 0) throw notFound(info, name);
    sendJson(r.res, 200, items[0]);
    return;
  }
  sendJson(r.res, 200, { kind: `${info.kind}List`, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
}
