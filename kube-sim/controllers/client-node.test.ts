import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServer } from '../server/http-server.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { FAKE_WORKER, testCluster } from './testing/test-cluster.js';

// what the worker-agent functions do: create a Job with client-node, watch it finish, read its pod's log
const home = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-client-'));
const { store, controllers } = await testCluster('home-lab', { workerEntry: FAKE_WORKER });
let server: KubeApiServer;
const kc = new k8s.KubeConfig();

test.before(async () => {
  server = await startKubeApiServer({ store, logs: controllers.logs, token: 'tok', port: 0, gracefulPodDeletion: true });
  kc.loadFromFile(writeKubeconfig(home, server.url, 'tok'));
});
test.after(async () => {
  await controllers.stop();
  await server.close();
});

function job(name: string, args: string[], extra: Partial<k8s.V1JobSpec> = {}): k8s.V1Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, labels: { 'ganglion.dev/role': 'verify' } },
    spec: {
      backoffLimit: 0, ttlSecondsAfterFinished: 600, ...extra,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'worker', image: 'ghcr.io/ganglion/ganglion-worker:0.1.0', args }] } },
    },
  };
}

/** Watches a Job until a terminal condition, as the agent functions do. */
async function watchUntilFinished(name: string): Promise<k8s.V1Job> {
  const watch = new k8s.Watch(kc);
  return new Promise((resolve, reject) => {
    let controller: AbortController | undefined;
    watch.watch('/apis/batch/v1/namespaces/apps/jobs', { fieldSelector: `metadata.name=${name}` }, (_type, obj: k8s.V1Job) => {
      if (obj.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) {
        controller?.abort();
        resolve(obj);
      }
    }, (err) => { if (err && !(err instanceof Error && err.name === 'AbortError')) reject(err); }).then((c) => { controller = c; }, reject);
  });
}

test('a Job created with client-node completes; its pod is found by job-name and its log read', async () => {
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await batch.createNamespacedJob({ namespace: 'apps', body: job('verify-1', ['succeed', 'verify']) });
  const done = await watchUntilFinished('verify-1');
  assert.equal(done.status?.conditions?.map((c) => c.type), ['SuccessCriteriaMet', 'Complete']);
  assert.ok(done.status?.completionTime, 'completionTime set');
  const pods = await core.listNamespacedPod({ namespace: 'apps', labelSelector: 'batch.kubernetes.io/job-name=verify-1' });
  assert.is(pods.items.length, 1);
  assert.is(pods.items[0].status?.phase, 'Succeeded');
  const log = await core.readNamespacedPodLog({ name: pods.items[0].metadata?.name ?? '', namespace: 'apps', container: 'worker' });
  assert.match(log, 'worker started with verify');
});

test('a failed Job reports Failed/BackoffLimitExceeded with the exit code on its pod', async () => {
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await batch.createNamespacedJob({ namespace: 'apps', body: job('verify-2', ['fail']) });
  const done = await watchUntilFinished('verify-2');
  assert.equal(done.status?.conditions?.map((c) => `${c.type}:${c.reason}`), ['FailureTarget:BackoffLimitExceeded', 'Failed:BackoffLimitExceeded']);
  const pods = await core.listNamespacedPod({ namespace: 'apps', labelSelector: 'job-name=verify-2' });
  assert.is(pods.items[0].status?.containerStatuses?.[0].state?.terminated?.exitCode, 3);
});

test('readNamespacedPodLog with previous returns the crashed api-server container\'s stack trace', async () => {
  await controllers.settle();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=api-server' });
  const pod = pods.items[0];
  assert.ok((pod.status?.containerStatuses?.[0].restartCount ?? 0) >= 1);
  const log = await core.readNamespacedPodLog({ name: pod.metadata?.name ?? '', namespace: 'apps', previous: true, tailLines: 20 });
  assert.match(log, 'Error: connect ECONNREFUSED 10.43.12.7:5432');
});

test.run();
