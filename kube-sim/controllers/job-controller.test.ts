import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '../store.js';
import { containerState, FAKE_WORKER, testCluster, until } from './testing/test-cluster.js';

// the kubelet runs workerEntry for ganglion-worker images; here that is the fake worker
const { store, controllers } = await testCluster('empty', { workerEntry: FAKE_WORKER });
store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ci' } });
store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'ci' }, data: { value: Buffer.from('s3cret').toString('base64') } });
store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'task', namespace: 'ci' }, data: { value: 'from-config' } });

function createJob(name: string, args: string[], spec: Record<string, unknown> = {}): KubeObject {
  return store.create('jobs', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'ci', labels: { 'ganglion.dev/role': 'run-tests' } },
    spec: {
      backoffLimit: 0, ...spec,
      template: {
        metadata: { labels: { 'ganglion.dev/role': 'run-tests' } },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'worker', image: 'ghcr.io/ganglion/ganglion-worker:0.1.0', command: ['ignored'], args,
            env: [
              { name: 'TASK', value: 'review' },
              { name: 'SECRET_VALUE', valueFrom: { secretKeyRef: { name: 'token', key: 'value' } } },
              { name: 'CONFIG_VALUE', valueFrom: { configMapKeyRef: { name: 'task', key: 'value' } } },
            ],
          }],
        },
      },
    },
  });
}

type Cond = { type: string; status: string; reason: string };
const conditions = (job: KubeObject | undefined) => ((job?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []);
const finished = (name: string) => () => {
  const job = store.get('jobs', 'ci', name);
  return conditions(job).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') && job;
};
const jobPods = (name: string) => store.list('pods', { namespace: 'ci', labelSelector: `batch.kubernetes.io/job-name=${name}` }).items;

test('a ganglion-worker Job runs the worker for real: args, env from values/Secrets/ConfigMaps, logs, Complete', async () => {
  const job = createJob('review-1', ['succeed', 'a', 'b']);
  const done = await until('review-1 finished', finished('review-1'));
  assert.equal(conditions(done).map((c) => `${c.type}=${c.reason}`), ['SuccessCriteriaMet=CompletionsReached', 'Complete=CompletionsReached']);
  const status = done.status as { succeeded?: number; failed?: number; startTime?: string; completionTime?: string; active?: number };
  assert.is(status.succeeded, 1);
  assert.is(status.failed, undefined);
  assert.ok(status.startTime && status.completionTime);
  const [pod] = jobPods('review-1');
  assert.match(pod.metadata.name, /^review-1-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.is(pod.metadata.labels?.['job-name'], 'review-1');
  assert.is(pod.metadata.labels?.['batch.kubernetes.io/controller-uid'], job.metadata.uid);
  assert.is(pod.metadata.labels?.['ganglion.dev/role'], 'run-tests');
  assert.is((pod.status as { phase: string }).phase, 'Succeeded');
  assert.equal(containerState(pod), { state: 'terminated', reason: 'Completed', ready: false, restarts: 0 });
  const logs = controllers.logs.read('ci', pod.metadata.name);
  assert.match(logs, 'worker started with a b');
  assert.match(logs, 'TASK=review SECRET=s3cret CONFIG=from-config');
  assert.match(logs, /"result":"ok"/);
  assert.not.match(logs, process.cwd());
});

test('a failing worker is retried up to backoffLimit, then FailureTarget and Failed with BackoffLimitExceeded', async () => {
  createJob('tests-2', ['fail'], { backoffLimit: 1 });
  const done = await until('tests-2 finished', finished('tests-2'));
  assert.equal(conditions(done).map((c) => `${c.type}=${c.reason}`), ['FailureTarget=BackoffLimitExceeded', 'Failed=BackoffLimitExceeded']);
  assert.is((done.status as { failed: number }).failed, 2);
  assert.is((done.status as { completionTime?: string }).completionTime, undefined);
  const pods = jobPods('tests-2');
  assert.is(pods.length, 2);
  for (const p of pods) {
    assert.is((p.status as { phase: string }).phase, 'Failed');
    assert.equal(containerState(p).state, 'terminated');
    assert.is(containerState(p).reason, 'Error');
  }
  assert.match(controllers.logs.read('ci', pods[0].metadata.name), 'tests failed: 1 of 3');
});

test('a hanging worker is stopped at activeDeadlineSeconds: DeadlineExceeded, SIGTERM seen, log tail readable', async () => {
  createJob('hang-3', ['hang'], { activeDeadlineSeconds: 1 });
  await until('hang-3 running', () => jobPods('hang-3').some((p) => containerState(p).state === 'running'));
  const done = await until('hang-3 finished', finished('hang-3'));
  assert.equal(conditions(done).map((c) => `${c.type}=${c.reason}`), ['FailureTarget=DeadlineExceeded', 'Failed=DeadlineExceeded']);
  const [pod] = jobPods('hang-3');
  assert.is((pod.status as { phase: string; reason: string }).phase, 'Failed');
  assert.is((pod.status as { reason: string }).reason, 'DeadlineExceeded');
  const logs = controllers.logs.read('ci', pod.metadata.name, { tailLines: 5 });
  assert.match(logs, 'running a test command that never ends');
  assert.match(logs, 'got SIGTERM, exiting');
});

test('ttlSecondsAfterFinished deletes the Job and its pods once finished', async () => {
  createJob('ttl-4', ['succeed'], { ttlSecondsAfterFinished: 0 });
  await until('ttl-4 started', () => jobPods('ttl-4').length > 0);
  await until('ttl-4 deleted', () => !store.get('jobs', 'ci', 'ttl-4') && jobPods('ttl-4').length === 0);
});

test('deleting a running Job kills its worker process', async () => {
  createJob('gone-5', ['hang']);
  await until('gone-5 running', () => jobPods('gone-5').some((p) => containerState(p).state === 'running'));
  store.delete('jobs', 'ci', 'gone-5', { propagationPolicy: 'Background' });
  await until('pods gone', () => jobPods('gone-5').length === 0);
  await controllers.settle();
});

test.after(async () => { await controllers.stop(); });
test.run();
