/** Node status as a k3s Raspberry Pi kubelet reports it: Ready and pressure conditions, allocatable, nodeInfo (arm64, v1.32). */
import { createHash } from 'node:crypto';
import type { ObjectStore, StoreEvent } from '../store.js';
import { stableStringify } from './pod-template-hash.js';
import type { WorkLoop } from './work-loop.js';

export const KUBELET_VERSION = 'v1.32.4+k3s1';

export function createNodeController({ store, loop, now }: { store: ObjectStore; loop: WorkLoop; now: () => number }) {
  function reconcile(name: string): void {
    const node = store.peek('nodes', undefined, name);
    if (!node) return;
    const status = structuredClone((node.status ?? {}) as Record<string, unknown>);
    const labels = node.metadata.labels ?? {};
    const id = createHash('sha256').update(name).digest('hex');
    const t = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const capacity = (status.capacity ?? { cpu: '4', memory: '8128548Ki', pods: '110' }) as Record<string, string>;
    status.capacity = capacity;
    status.allocatable ??= { ...capacity };
    const cond = (type: string, ok: boolean, reason: string, message: string) => ({ type, status: ok ? 'True' : 'False', lastHeartbeatTime: t, lastTransitionTime: node.metadata.creationTimestamp, reason, message });
    status.conditions ??= [
      cond('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status'),
    ];
    status.addresses ??= [{ type: 'Hostname', address: name }];
    status.daemonEndpoints ??= { kubeletEndpoint: { Port: 10250 } };
    const arch = labels['kubernetes.io/arch'] ?? 'arm64';
    status.nodeInfo = {
      machineID: id.slice(0, 32), systemUUID: id.slice(0, 32), bootID: `${id.slice(32, 40)}-${id.slice(40, 44)}-${id.slice(44, 48)}-${id.slice(48, 52)}-${id.slice(52, 64)}`,
      kernelVersion: arch === 'arm64' ? '6.6.51+rpt-rpi-2712' : '6.1.0-28-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.7.23-k3s2', kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: labels['kubernetes.io/os'] ?? 'linux', architecture: arch,
      ...((status.nodeInfo ?? {}) as Record<string, string>),
    };
    if (stableStringify(status) === stableStringify(node.status)) return;
    store.mutate('nodes', undefined, name, (o) => { o.status = status; });
  }

  function onEvent(ev: StoreEvent): void {
    if (ev.resource === 'nodes' && ev.type === 'ADDED') loop.enqueue('nodes', ev.object.metadata.name);
  }

  return { reconcile, onEvent };
}
