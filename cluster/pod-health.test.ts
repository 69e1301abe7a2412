import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analysePod, findFailingPods, indexPodEvents } from './pod-health.js';
import { podOwner, podStatusText } from './pod-status-text.js';
import type { ContainerStatus, Pod } from './kube-shapes.js';

const T = '2026-11-25T10:00:00Z';

/** A wire-JSON pod of Deployment `app` with one container `main`; `status` parts override. */
function pod(name: string, cs: Partial<ContainerStatus>, extra: { phase?: string; spec?: Pod['spec']; status?: Pod['status'] } = {}): Pod {
  return {
    metadata: {
      name, namespace: 'apps', creationTimestamp: T, labels: { app: 'app', 'pod-template-hash': '7d9f4' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'app-7d9f4', controller: true }],
    },
    spec: extra.spec ?? { nodeName: 'pi-1', containers: [{ name: 'main', image: 'registry.local/app:1.0' }] },
    status: {
      phase: extra.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: cs.ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'main', image: 'registry.local/app:1.0', ready: false, restartCount: 0, ...cs }],
      ...extra.status,
    },
  };
}

test('a healthy running pod and a completed Job pod are not findings', () => {
  assert.is(analysePod(pod('ok', { ready: true, state: { running: { startedAt: T } } })), undefined);
  assert.is(analysePod(pod('done', { state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { phase: 'Succeeded' })), undefined);
});

test('CrashLoopBackOff reports restart count and last exit reason and code', () => {
  const f = analysePod(pod('api-server-7d9f4-x2k1p', {
    restartCount: 12,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-25T09:59:00Z' } },
  }));
  assert.ok(f);
  assert.is(f.reason, 'CrashLoopBackOff');
  assert.is(f.restarts, 12);
  assert.equal(f.lastExit, { reason: 'Error', exitCode: 1, finishedAt: '2026-11-25T09:59:00Z' });
  assert.is(f.status, 'CrashLoopBackOff');
  assert.is(f.owner, 'deployment/app');
  assert.match(f.detail, /restarted 12 times, last exit Error \(exit code 1\)/);
});

test('ImagePullBackOff and ErrImagePull name the image', () => {
  for (const reason of ['ImagePullBackOff', 'ErrImagePull']) {
    const f = analysePod(pod('web-1', { state: { waiting: { reason, message: 'Back-off pulling image "registry.local/app:1.0"' } } }, { phase: 'Pending' }));
    assert.is(f?.reason, reason);
    assert.is(f?.image, 'registry.local/app:1.0');
    assert.match(f?.detail ?? '', /cannot pull image registry\.local\/app:1\.0/);
  }
});

test('Pending reports the scheduler\'s message', () => {
  const p: Pod = {
    metadata: { name: 'big-0', namespace: 'apps' },
    spec: { containers: [{ name: 'main', image: 'x' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] },
  };
  const f = analysePod(p);
  assert.is(f?.reason, 'Pending');
  assert.is(f?.message, '0/3 nodes are available: 3 Insufficient memory.');
  assert.match(f?.detail ?? '', /not scheduled \(Unschedulable\): 0\/3 nodes/);
  assert.is(f?.status, 'Pending');
});

test('a pod still creating its containers after being scheduled is not a finding', () => {
  const p = pod('new', { state: { waiting: { reason: 'ContainerCreating' } } }, { phase: 'Pending', status: { conditions: [{ type: 'PodScheduled', status: 'True' }] } });
  assert.is(analysePod(p), undefined);
});

test('a scheduled pod stuck creating containers reports the mount failure; a missing Secret reports CreateContainerConfigError', () => {
  const stuck = pod('db-0', { state: { waiting: { reason: 'ContainerCreating' } } }, { phase: 'Pending', status: { conditions: [{ type: 'PodScheduled', status: 'True' }] } });
  const events = indexPodEvents([{ involvedObject: { kind: 'Pod', name: 'db-0', namespace: 'apps' }, reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "data": PVC "data-db-0" not bound', lastTimestamp: T }]);
  const f = analysePod(stuck, { events });
  assert.is(f?.reason, 'FailedMount');
  assert.match(f?.detail ?? '', /stuck creating containers: MountVolume\.SetUp failed/);
  const secret = analysePod(pod('api', { state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "api-db" not found' } } }, { phase: 'Pending' }));
  assert.is(secret?.reason, 'CreateContainerConfigError');
  assert.match(secret?.detail ?? '', /container main cannot start: CreateContainerConfigError — secret "api-db" not found/);
});

test('OOMKilled is the reason when the last termination ran out of memory, with the memory limit', () => {
  const f = analysePod(pod('cache', {
    restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
  }, { spec: { containers: [{ name: 'main', image: 'redis:7', resources: { limits: { memory: '64Mi' } } }] } }));
  assert.is(f?.reason, 'OOMKilled');
  assert.is(f?.lastExit?.exitCode, 137);
  assert.match(f?.detail ?? '', /out of memory \(limit 64Mi\)/);
});

test('a running container that is not ready is NotReady, with the probe failure from the latest Unhealthy event', () => {
  const p = pod('web-2', { state: { running: { startedAt: T } }, ready: false }, { spec: { containers: [{ name: 'main', image: 'x', readinessProbe: {} }] } });
  assert.match(analysePod(p)?.detail ?? '', /its readiness probe is failing/);
  const events = indexPodEvents([
    { involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'apps' }, reason: 'Unhealthy', message: 'Readiness probe failed: old', lastTimestamp: '2026-11-25T09:00:00Z' },
    { involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'apps' }, reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', lastTimestamp: '2026-11-25T09:30:00Z' },
  ]);
  const f = analysePod(p, { events });
  assert.is(f?.reason, 'NotReady');
  assert.is(f?.message, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
  assert.is(f?.status, 'Running');
  assert.is(f?.ready, '0/1');
});

test('a container that crashed minutes ago and runs again is still reported; an old crash is not', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  const crashedAt = (iso: string, reason: string, exitCode: number, restarts: number) => pod('loop', {
    ready: true, restartCount: restarts, state: { running: { startedAt: iso } }, lastState: { terminated: { exitCode, reason, finishedAt: iso } },
  }, { spec: { containers: [{ name: 'main', image: 'x', resources: { limits: { memory: '128Mi' } } }] } });
  const oom = analysePod(crashedAt('2026-11-25T09:59:30Z', 'OOMKilled', 137, 3), { now });
  assert.is(oom?.reason, 'OOMKilled');
  assert.is(oom?.status, 'Running');
  assert.match(oom?.detail ?? '', /ran out of memory \(limit 128Mi\) and was killed 30s ago, restarted 3 times, running again for now/);
  const loop = analysePod(crashedAt('2026-11-25T09:55:00Z', 'Error', 1, 4), { now });
  assert.is(loop?.reason, 'CrashLoopBackOff');
  assert.match(loop?.detail ?? '', /crashed 5m ago: restarted 4 times, last exit Error \(exit code 1\)/);
  assert.is(analysePod(crashedAt('2026-11-25T09:59:00Z', 'Error', 1, 1), { now })?.reason, 'Restarted');
  assert.is(analysePod(crashedAt('2026-11-25T08:00:00Z', 'OOMKilled', 137, 1), { now }), undefined);
  assert.is(analysePod(crashedAt('2026-11-25T09:59:30Z', 'OOMKilled', 137, 3)), undefined, 'without a clock the rule is off');
});

test('Evicted pods carry the kubelet\'s message', () => {
  const p: Pod = { metadata: { name: 'ev', namespace: 'web' }, spec: { nodeName: 'pi-2' }, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } };
  const f = analysePod(p);
  assert.is(f?.reason, 'Evicted');
  assert.is(f?.status, 'Evicted');
  assert.match(f?.detail ?? '', /evicted from pi-2: The node was low on resource: memory\./);
});

test('a container that exited non-zero in a failed pod reports Error with the exit code', () => {
  const f = analysePod(pod('job-x', { state: { terminated: { exitCode: 2, reason: 'Error' } } }, { phase: 'Failed' }));
  assert.is(f?.reason, 'Error');
  assert.is(f?.lastExit?.exitCode, 2);
  assert.is(f?.status, 'Error');
  const bare: Pod = { metadata: { name: 'f', namespace: 'a' }, status: { phase: 'Failed', message: 'DeadlineExceeded' } };
  assert.is(analysePod(bare)?.reason, 'Failed');
});

test('a crash-looping init container is reported as Init:CrashLoopBackOff, like kubectl shows it', () => {
  const p: Pod = {
    metadata: { name: 'db-0', namespace: 'apps', ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] },
    spec: { initContainers: [{ name: 'migrate', image: 'db-migrate:3' }], containers: [{ name: 'db', image: 'postgres:16' }] },
    status: {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'migrate', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
      containerStatuses: [{ name: 'db', restartCount: 0, ready: false, state: { waiting: { reason: 'PodInitializing' } } }],
    },
  };
  const f = analysePod(p);
  assert.is(f?.reason, 'Init:CrashLoopBackOff');
  assert.is(f?.status, 'Init:CrashLoopBackOff');
  assert.is(f?.container, 'migrate');
  assert.is(f?.restarts, 3);
  assert.is(f?.owner, 'statefulset/db');
  assert.match(f?.detail ?? '', /init container migrate keeps crashing/);
});

test('the worst container wins: a crash-looping sidecar outranks a not-ready main container', () => {
  const p = pod('two', { state: { running: {} }, ready: false }, { spec: { containers: [{ name: 'main' }, { name: 'side' }] } });
  p.status!.containerStatuses!.push({ name: 'side', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } });
  assert.is(analysePod(p)?.reason, 'CrashLoopBackOff');
  assert.is(analysePod(p)?.container, 'side');
});

test('findFailingPods lists only unhealthy pods, sorted by namespace and name', () => {
  const a = pod('b-pod', { state: { waiting: { reason: 'CrashLoopBackOff' } } });
  const b = pod('a-pod', { state: { waiting: { reason: 'ErrImagePull' } } });
  const c = pod('fine', { ready: true, state: { running: {} } });
  const d: Pod = { ...pod('z', { state: { waiting: { reason: 'CrashLoopBackOff' } } }), metadata: { name: 'z', namespace: 'aaa' } };
  assert.equal(findFailingPods([a, b, c, d]).map((f) => `${f.namespace}/${f.pod}`), ['aaa/z', 'apps/a-pod', 'apps/b-pod']);
});

test('podStatusText matches kubectl for terminating and signal exits, and podOwner for bare pods', () => {
  const term = pod('t', { ready: true, state: { running: {} } });
  term.metadata!.deletionTimestamp = T;
  assert.is(podStatusText(term), 'Terminating');
  assert.is(podStatusText(pod('s', { state: { terminated: { exitCode: 137, signal: 9 } } })), 'Signal:9');
  assert.is(podOwner({ metadata: { name: 'bare' } }), undefined);
  assert.is(podOwner({ metadata: { ownerReferences: [{ kind: 'Job', name: 'backup-1', controller: true }] } }), 'job/backup-1');
});

test.run();
