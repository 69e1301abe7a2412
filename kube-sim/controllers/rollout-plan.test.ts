import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newReplicaSetSize, oldReplicaSetSizes, resolveIntOrPercent, surgeAndUnavailable } from './rollout-plan.js';

test('25% of 3 replicas is a surge of 1 and 0 unavailable; 25% of 10 is 3 and 2', () => {
  assert.equal(surgeAndUnavailable(undefined, 3), { maxSurge: 1, maxUnavailable: 0 });
  assert.equal(surgeAndUnavailable({ rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, 10), { maxSurge: 3, maxUnavailable: 2 });
  assert.is(resolveIntOrPercent(2, 10, true, '25%'), 2);
});

test('zero surge and zero unavailable still lets one pod go, as Kubernetes does', () => {
  assert.equal(surgeAndUnavailable({ rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, 3), { maxSurge: 0, maxUnavailable: 1 });
});

test('the new ReplicaSet grows only within replicas + maxSurge', () => {
  const old = [{ name: 'old', replicas: 3, available: 3, created: 1 }];
  assert.is(newReplicaSetSize(3, 1, { name: 'new', replicas: 0, available: 0, created: 2 }, old), 1);
  assert.is(newReplicaSetSize(3, 1, { name: 'new', replicas: 1, available: 0, created: 2 }, old), 1);
  assert.is(newReplicaSetSize(3, 1, { name: 'new', replicas: 1, available: 1, created: 2 }, [{ ...old[0], replicas: 2 }]), 2);
  assert.is(newReplicaSetSize(3, 1, { name: 'new', replicas: 5, available: 5, created: 2 }, []), 3);
});

test('old ReplicaSets shrink only while enough pods stay available; an unavailable new pod blocks it', () => {
  const old = [{ name: 'old', replicas: 3, available: 3, created: 1 }];
  assert.is(oldReplicaSetSizes(3, 0, { name: 'new', replicas: 1, available: 0, created: 2 }, old).get('old'), 3);
  assert.is(oldReplicaSetSizes(3, 0, { name: 'new', replicas: 1, available: 1, created: 2 }, old).get('old'), 2);
});

test('unhealthy old pods are cleaned up first', () => {
  const old = [{ name: 'old', replicas: 3, available: 1, created: 1 }];
  assert.is(oldReplicaSetSizes(3, 1, { name: 'new', replicas: 1, available: 1, created: 2 }, old).get('old'), 1);
});

test.run();
