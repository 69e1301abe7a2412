/** Pods written directly in a final state (running, crash-looping, pulling, pending, OOMKilled, not ready) for generated clusters. */
import type { ScenarioObject } from './scenario.js';

export type PodFate = 'running' | 'crashloop' | 'imagepull' | 'pending' | 'oomkilled' | 'notready';

export interface SettledPodInput {
  name: string; namespace: string; labels: Record<string, string>; owner: { kind: string; name: string; apiVersion: string };
  spec: Record<string, unknown>; container: string; image: string; fate: PodFate;
  node?: { name: string; ip: string }; podIP: string; created: number; restarts: number; nodeCount: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const cid = (seed: string) => `containerd://${Buffer.from(seed.padEnd(32, '0')).toString('hex').slice(0, 64)}`;

function condition(type: string, ok: boolean, at: string, reason?: string, message?: string) {
  return { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function settledPod(p: SettledPodInput): ScenarioObject {
  const created = iso(p.created);
  const started = iso(p.created + 4_000);
  const recent = iso(p.created + 60_000);
  const metadata = {
    name: p.name, namespace: p.namespace, labels: p.labels, creationTimestamp: created,
    ownerReferences: [{ apiVersion: p.owner.apiVersion, kind: p.owner.kind, name: p.owner.name, uid: '', controller: true, blockOwnerDeletion: true }],
  };
  if (p.fate === 'pending') {
    const message = `0/${p.nodeCount} nodes are available: ${p.nodeCount} Insufficient memory. preemption: 0/${p.nodeCount} nodes are available: ${p.nodeCount} No preemption victims found for incoming pod.`;
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec: p.spec, status: { phase: 'Pending', conditions: [condition('PodScheduled', false, created, 'Unschedulable', message)], qosClass: 'Burstable' } };
  }
  const ready = p.fate === 'running';
  const unready = ready ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${p.container}]` };
  let state: Record<string, unknown> = { running: { startedAt: started } };
  let lastState: Record<string, unknown> = p.restarts > 0 ? { terminated: { exitCode: 1, reason: 'Error', startedAt: created, finishedAt: started, containerID: cid(`${p.name}-prev`) } } : {};
  let imageID = `${p.image.split(':')[0]}@sha256:${Buffer.from(p.image).toString('hex').padEnd(64, 'a').slice(0, 64)}`;
  let started2 = true;
  if (p.fate === 'crashloop' || p.fate === 'oomkilled') {
    const oom = p.fate === 'oomkilled';
    state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${p.container} pod=${p.name}_${p.namespace}(generated)` } };
    lastState = { terminated: { exitCode: oom ? 137 : 1, reason: oom ? 'OOMKilled' : 'Error', startedAt: recent, finishedAt: iso(p.created + 65_000), containerID: cid(`${p.name}-last`) } };
    started2 = false;
  } else if (p.fate === 'imagepull') {
    state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${p.image}"` } };
    imageID = '';
    started2 = false;
  }
  const phase = p.fate === 'imagepull' ? 'Pending' : 'Running';
  return {
    apiVersion: 'v1', kind: 'Pod', metadata,
    spec: { ...p.spec, nodeName: p.node?.name },
    status: {
      phase,
      conditions: [
        condition('PodReadyToStartContainers', true, started), condition('Initialized', true, created),
        condition('Ready', ready, started, unready.reason, unready.message), condition('ContainersReady', ready, started, unready.reason, unready.message),
        condition('PodScheduled', true, created),
      ],
      hostIP: p.node?.ip, hostIPs: [{ ip: p.node?.ip }], podIP: p.podIP, podIPs: [{ ip: p.podIP }], startTime: created,
      containerStatuses: [{
        name: p.container, state, lastState, ready, restartCount: p.restarts, image: p.image, imageID,
        ...(p.fate === 'imagepull' ? {} : { containerID: cid(p.name) }), started: started2,
      }],
      qosClass: 'Burstable',
    },
  };
}
