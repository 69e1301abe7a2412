/** A small hand-written cluster for the API server's tests: pods in every state kubectl prints, with logs and events. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeStatusError } from '../kube-status-error.js';
import { ObjectStore, type KubeObject, type NewObject } from '../store.js';
import type { PodLogOptions, PodLogSource } from '../pod-log-source.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { startKubeApiServer } from './http-server.js';

const ago = (now: number, seconds: number) => new Date(now - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(now: number, ns: string, name: string, containerStatus: Record<string, unknown>, extra: { phase?: string; node?: string; labels?: Record<string, string>; reason?: string; message?: string } = {}): NewObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, labels: extra.labels ?? { app: name.replace(/-[a-z0-9]+$/, '') }, creationTimestamp: ago(now, 600) },
    spec: { nodeName: extra.node ?? 'pi-1', containers: [{ name: 'main', image: `registry.local/${name.split('-')[0]}:1.4` }] },
    status: {
      phase: extra.phase ?? 'Running', podIP: '10.42.0.7', podIPs: [{ ip: '10.42.0.7' }],
      ...(extra.reason ? { reason: extra.reason } : {}), ...(extra.message ? { message: extra.message } : {}),
      conditions: [{ type: 'Ready', status: containerStatus.ready === true ? 'True' : 'False' }],
      containerStatuses: [{ name: 'main', image: 'registry.local/x:1.4', restartCount: 0, ready: false, ...containerStatus }],
    },
  };
}

export function seedSampleCluster(store: ObjectStore, now: number): void {
  for (const name of ['default', 'apps', 'web']) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const [i, name] of ['pi-1', 'pi-2'].entries()) {
    store.create('nodes', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}, creationTimestamp: ago(now, 3 * 86400) },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.4+k3s1', architecture: 'arm64', osImage: 'Debian GNU/Linux 12 (bookworm)' }, addresses: [{ type: 'InternalIP', address: `192.168.1.10${i + 1}` }] },
    });
  }
  const running = { state: { running: { startedAt: ago(now, 500) } }, ready: true };
  store.create('pods', pod(now, 'apps', 'placemyparents-7d9f4-x2k1p', running, { labels: { app: 'placemyparents', tier: 'web' } }));
  store.create('pods', pod(now, 'apps', 'api-server-5c6b7-q8w9e', {
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=main' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(now, 130), finishedAt: ago(now, 125) } }, restartCount: 7,
  }));
  store.create('pods', pod(now, 'apps', 'image-resizer-6f7g8-h9j0k', { state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.local/image-resizer:9.9"' } } }, { phase: 'Pending' }));
  store.create('pods', pod(now, 'web', 'batch-report-1a2b3', { state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ago(now, 300), finishedAt: ago(now, 200) } } }, { phase: 'Succeeded' }));
  store.create('pods', pod(now, 'web', 'memory-hog-4c5d6', { state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: ago(now, 30), finishedAt: ago(now, 20) } }, restartCount: 2,
    lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: ago(now, 90), finishedAt: ago(now, 80) } } }));
  const pending = pod(now, 'web', 'big-job-7e8f9', {}, { phase: 'Pending' });
  store.create('pods', { ...pending, spec: { containers: [{ name: 'main', image: 'registry.local/big:1' }] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient memory.' }] } });
  const uid = store.mustGet('pods', 'apps', 'api-server-5c6b7-q8w9e').metadata.uid;
  store.create('events', {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'api-server-5c6b7-q8w9e.17a8b9c0d1e2f3a4', namespace: 'apps' },
    involvedObject: { kind: 'Pod', namespace: 'apps', name: 'api-server-5c6b7-q8w9e', uid, apiVersion: 'v1', fieldPath: 'spec.containers{main}' },
    reason: 'BackOff', message: 'Back-off restarting failed container main in pod api-server-5c6b7-q8w9e_apps', type: 'Warning',
    source: { component: 'kubelet', host: 'pi-1' }, firstTimestamp: ago(now, 590), lastTimestamp: ago(now, 5), count: 31,
  });
  store.create('deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'placemyparents', namespace: 'apps', labels: { app: 'placemyparents' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'placemyparents' } }, template: { metadata: { labels: { app: 'placemyparents' } }, spec: { containers: [{ name: 'placemyparents', image: 'registry.local/placemyparents:1.4', env: [{ name: 'MODE', value: 'prod' }], ports: [{ containerPort: 8080 }] }] } } },
    status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 },
  });
}

/** The log lines a fake kubelet would keep: 20 numbered lines per container, "previous" ones for the crash-looper. */
export function sampleLogs(store: ObjectStore): PodLogSource & { calls: { namespace: string; pod: string; opts: PodLogOptions }[] } {
  const calls: { namespace: string; pod: string; opts: PodLogOptions }[] = [];
  return {
    calls,
    read(namespace, podName, opts) {
      calls.push({ namespace, pod: podName, opts });
      const found: KubeObject = store.mustGet('pods', namespace, podName);
      if (podName.startsWith('image-resizer')) {
        throw new KubeStatusError(400, 'BadRequest', `container "main" in pod "${podName}" is waiting to start: trying and failing to pull image`);
      }
      const prefix = opts.previous ? 'previous ' : '';
      let lines = Array.from({ length: 20 }, (_, i) => `${prefix}${found.metadata.name} line ${i + 1}`);
      if (opts.tailLines !== undefined) lines = lines.slice(-opts.tailLines);
      return lines.map((l) => `${l}\n`).join('');
    },
  };
}

export interface SampleServer { url: string; kubeconfigPath: string; home: string; token: string; store: ObjectStore; logs: ReturnType<typeof sampleLogs>; close(): Promise<void> }

/** Starts an API server on an ephemeral port over the sample cluster and writes its kubeconfig. */
export async function startSampleServer({ token = 'sample-token' }: { token?: string } = {}): Promise<SampleServer> {
  const store = new ObjectStore();
  const now = Date.now();
  seedSampleCluster(store, now);
  const logs = sampleLogs(store);
  const server = await startKubeApiServer({ store, logs, token });
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const kubeconfigPath = writeKubeconfig(home, server.url, token);
  return { url: server.url, kubeconfigPath, home, token, store, logs, close: () => server.close() };
}
