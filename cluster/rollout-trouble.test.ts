import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeTroubles, isPodReady, podTrouble, podsOf } from './rollout-trouble.js';
import type { PodShape } from './workload-shape.js';

const pod = (name: string, status: PodShape['status'], hash = 'new'): PodShape => ({
  metadata: { name, labels: { app: 'p', 'pod-template-hash': hash } },
  spec: { containers: [{ name: 'p', image: 'registry.local/placemyparents:2.1-broken' }] },
  status,
});
const waiting = (reason: string, extra: object = {}) => ({ phase: 'Pending', containerStatuses: [{ name: 'p', image: 'registry.local/placemyparents:2.1-broken', ready: false, state: { waiting: { reason, message: 'Back-off pulling image' } }, ...extra }] });

test('an unpullable image is fatal once the kubelet backs off, and names the image', () => {
  const t = podTrouble(pod('p-1', waiting('ImagePullBackOff')));
  assert.equal(t, { pod: 'p-1', reason: 'ImagePullBackOff', what: 'cannot pull image registry.local/placemyparents:2.1-broken', fatal: true });
  assert.is(podTrouble(pod('p-1', waiting('ErrImagePull')))?.fatal, false, 'the first failed pull may still be a blip');
});

test('crash loops report restarts and the last exit; a starting container is no trouble', () => {
  const t = podTrouble(pod('p-2', waiting('CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { reason: 'Error', exitCode: 1 } } })));
  assert.is(t?.what, 'keep crashing (4 restarts, last exit Error 1)');
  assert.is(podTrouble(pod('p-3', waiting('ContainerCreating'))), undefined);
});

test('unschedulable and not-ready pods are troubles that waiting may still fix', () => {
  const pending = podTrouble(pod('p-4', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] }));
  assert.equal(pending && [pending.reason, pending.fatal], ['Unschedulable', false]);
  const notReady = podTrouble(pod('p-5', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'p', state: { running: {} } }] }));
  assert.is(notReady?.reason, 'NotReady');
  const ready: PodShape = pod('p-6', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'p', ready: true, state: { running: {} } }] });
  assert.is(podTrouble(ready), undefined);
  assert.ok(isPodReady(ready));
});

test('troubles read as "N of M new pods ..." grouped by reason', () => {
  const ts = [podTrouble(pod('a', waiting('ImagePullBackOff'))), podTrouble(pod('b', waiting('ImagePullBackOff')))].filter((t) => t !== undefined);
  assert.is(describeTroubles(ts, 3), '2 of 3 new pods cannot pull image registry.local/placemyparents:2.1-broken (ImagePullBackOff)');
  assert.is(describeTroubles(ts.slice(0, 1), 3), '1 of 3 new pods cannot pull image registry.local/placemyparents:2.1-broken (ImagePullBackOff)');
});

test('pods of a ReplicaSet are found by owner or hash label, terminating ones left out', () => {
  const rs = { metadata: { uid: 'rs-1', labels: { 'pod-template-hash': 'new' } } };
  const gone = pod('gone', {}, 'new');
  gone.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z';
  const names = podsOf(rs, [pod('mine', {}), pod('old', {}, 'old'), gone]).map((p) => p.metadata?.name);
  assert.equal(names, ['mine']);
});

test.run();
