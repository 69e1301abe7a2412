import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectStore, type KubeObject } from '../store.js';
import { resumeAfterRestart } from './resume-after-restart.js';

const running = (name: string, restartPolicy: string, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '5', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { nodeName: 'pi-1', restartPolicy, containers: [{ name: 'main', image: 'app:1' }] },
  status: { phase, startTime: '2025-01-01T00:00:01Z', qosClass: 'BestEffort', containerStatuses: [{ name: 'main', image: 'app:1', restartCount: 2, ready: true, state: { running: { startedAt: '2025-01-01T00:00:02Z' } } }] },
});

function restored(...pods: KubeObject[]): ObjectStore {
  const store = new ObjectStore();
  store.restore({ resourceVersion: 10, resources: [['pods', pods]] });
  return store;
}

test('a pod that restarts its containers goes back to just scheduled, so the kubelet starts it again', () => {
  const store = restored(running('web', 'Always'));
  resumeAfterRestart(store, { pods: true });
  const status = store.get('pods', 'default', 'web')?.status as { phase: string; startTime?: string; conditions: { type: string }[] };
  assert.is(status.phase, 'Pending');
  assert.is(status.startTime, undefined);
  assert.equal(status.conditions.map((c) => c.type), ['PodScheduled']);
});

test('a restartPolicy Never pod that was running is Failed with ContainerStatusUnknown; finished pods stay as they were', () => {
  const store = restored(running('job-x', 'Never'), running('done', 'Never', 'Succeeded'));
  resumeAfterRestart(store, { pods: true });
  const status = store.get('pods', 'default', 'job-x')?.status as { phase: string; containerStatuses: { state: { terminated?: { reason: string } } }[] };
  assert.is(status.phase, 'Failed');
  assert.is(status.containerStatuses[0].state.terminated?.reason, 'ContainerStatusUnknown');
  assert.is((store.get('pods', 'default', 'done')?.status as { phase: string }).phase, 'Succeeded');
  assert.is(Number(store.resourceVersion()) > 10, true);
});

test('without controllers the pods are served as they were stored', () => {
  const store = restored(running('web', 'Always'));
  resumeAfterRestart(store, { pods: false });
  assert.is((store.get('pods', 'default', 'web')?.status as { phase: string }).phase, 'Running');
});

test.run();
