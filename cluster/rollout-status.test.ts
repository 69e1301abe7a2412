import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rolloutStatus } from './rollout-status.js';
import type { DeploymentShape } from './workload-shape.js';

const d = (generation: number, spec: number, status: NonNullable<DeploymentShape['status']>, revision = '2'): DeploymentShape => ({
  metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { replicas: spec, template: {} },
  status,
});

const table: [string, DeploymentShape, string, string][] = [
  ['spec not observed yet', d(4, 3, { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'waiting', 'Waiting for deployment spec update to be observed...'],
  ['new replicas being updated', d(4, 3, { observedGeneration: 4, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }), 'waiting', 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'],
  ['old replicas terminating', d(4, 3, { observedGeneration: 4, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), 'waiting', 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...'],
  ['updated not yet available', d(4, 3, { observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), 'waiting', 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...'],
  ['done', d(4, 3, { observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'done', 'deployment "web" successfully rolled out'],
  ['scaled to zero', d(5, 0, { observedGeneration: 5 }), 'done', 'deployment "web" successfully rolled out'],
  ['progress deadline exceeded', d(4, 3, { observedGeneration: 4, replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-5d8f" has timed out progressing.' }] }), 'failed', 'deployment "web" exceeded its progress deadline'],
];

test('follows kubectl rollout status, sentence for sentence', () => {
  for (const [name, dep, state, message] of table) {
    const s = rolloutStatus(dep);
    assert.is(s.state, state, name);
    assert.is(s.message, message, name);
  }
});

test('a wanted revision other than the running one fails, as --revision does', () => {
  const s = rolloutStatus(d(4, 3, { observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, '5'), 4);
  assert.is(s.state, 'failed');
  assert.is(s.message, 'desired revision (4) is different from the running revision (5)');
});

test.run();
