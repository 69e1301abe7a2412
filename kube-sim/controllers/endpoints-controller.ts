/**
 * The Endpoints controller: each Service with a selector lists its pods' IPs, ready ones as addresses, others as
 * notReadyAddresses, in its Endpoints object and in one EndpointSlice (`<svc>-sim`, conditions.ready per pod).
 */
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';
import { isReady } from './pod-deletion.js';
import { stableStringify } from './pod-template-hash.js';
import type { WorkLoop } from './work-loop.js';
import type { OwnerIndex } from './owner-index.js';

interface ServicePort { name?: string; port: number; targetPort?: number | string; protocol?: string }
interface ServiceSpec { selector?: Record<string, string>; ports?: ServicePort[] }
interface PodShape { nodeName?: string; containers?: { ports?: { name?: string; containerPort: number }[] }[] }

function matches(selector: Record<string, string>, pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function targetPort(port: ServicePort, pod: KubeObject): number {
  if (typeof port.targetPort === 'number') return port.targetPort;
  if (typeof port.targetPort === 'string') {
    for (const c of (pod.spec as PodShape).containers ?? []) {
      const named = c.ports?.find((p) => p.name === port.targetPort);
      if (named) return named.containerPort;
    }
    const n = Number(port.targetPort);
    if (Number.isFinite(n) && n > 0) return n;
  }
  return port.port;
}

export function createEndpointsController({ store, loop, index }: { store: ObjectStore; loop: WorkLoop; index: OwnerIndex }) {
  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const svc = store.peek('services', namespace, name);
    const spec = (svc?.spec ?? {}) as ServiceSpec;
    if (!svc || !spec.selector || Object.keys(spec.selector).length === 0) return;
    const selector = spec.selector;
    const pods = index.podsInNamespace(namespace).filter((p) => matches(selector, p) && !p.metadata.deletionTimestamp && (p.status as { podIP?: string } | undefined)?.podIP);
    const address = (p: KubeObject) => ({
      ip: (p.status as { podIP: string }).podIP,
      nodeName: (p.spec as PodShape).nodeName,
      targetRef: { kind: 'Pod', namespace, name: p.metadata.name, uid: p.metadata.uid },
    });
    const ready = pods.filter(isReady).map(address);
    const notReady = pods.filter((p) => !isReady(p) && !['Succeeded', 'Failed'].includes(String((p.status as { phase?: string }).phase))).map(address);
    const sample = pods[0];
    const ports = (spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: sample ? targetPort(p, sample) : Number(p.targetPort) || p.port, protocol: p.protocol ?? 'TCP' }));
    const subsets = pods.length ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] : undefined;
    writeSlice(svc, [...ready.map((a) => ({ a, isReady: true })), ...notReady.map((a) => ({ a, isReady: false }))], ports);
    const existing = store.peek('endpoints', namespace, name);
    if (!existing) {
      store.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels: { ...(svc.metadata.labels ?? {}) } }, ...(subsets ? { subsets } : {}) });
      return;
    }
    if (stableStringify(existing.subsets) === stableStringify(subsets)) return;
    store.mutate('endpoints', namespace, name, (o) => {
      if (subsets) o.subsets = subsets;
      else delete o.subsets;
    });
  }

  function writeSlice(svc: KubeObject, members: { a: { ip: string; nodeName?: string; targetRef: object }; isReady: boolean }[], ports: object[]): void {
    const namespace = svc.metadata.namespace ?? 'default';
    const sliceName = `${svc.metadata.name}-sim`;
    const endpoints = members.map(({ a, isReady }) => ({ addresses: [a.ip], conditions: { ready: isReady, serving: isReady, terminating: false }, ...(a.nodeName ? { nodeName: a.nodeName } : {}), targetRef: a.targetRef }));
    const existing = store.peek('endpointslices', namespace, sliceName);
    if (!existing) {
      store.create('endpointslices', {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', endpoints, ports,
        metadata: {
          name: sliceName, namespace,
          labels: { 'kubernetes.io/service-name': svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
      });
      return;
    }
    if (stableStringify(existing.endpoints) === stableStringify(endpoints) && stableStringify(existing.ports) === stableStringify(ports)) return;
    store.mutate('endpointslices', namespace, sliceName, (o) => { o.endpoints = endpoints; o.ports = ports; });
  }

  function onEvent(ev: StoreEvent): void {
    const ns = ev.object.metadata.namespace ?? 'default';
    if (ev.resource === 'services') {
      if (ev.type === 'DELETED') {
        if (store.peek('endpoints', ns, ev.object.metadata.name)) store.delete('endpoints', ns, ev.object.metadata.name);
        if (store.peek('endpointslices', ns, `${ev.object.metadata.name}-sim`)) store.delete('endpointslices', ns, `${ev.object.metadata.name}-sim`);
      } else loop.enqueue('endpoints', `${ns}/${ev.object.metadata.name}`);
      return;
    }
    if (ev.resource !== 'pods') return;
    for (const svc of store.listShared('services', { namespace: ns }).items) {
      const selector = (svc.spec as ServiceSpec | undefined)?.selector;
      if (selector && Object.keys(selector).length && matches(selector, ev.object)) loop.enqueue('endpoints', `${ns}/${svc.metadata.name}`);
    }
  }

  return { reconcile, onEvent };
}
