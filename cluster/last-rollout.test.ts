import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pickLastRollout } from './last-rollout.js';
import type { ReplicaSetShape } from './workload-shape.js';

const rs = (ns: string, deploy: string, uid: string, revision: string, created: string): ReplicaSetShape => ({
  metadata: {
    name: `${deploy}-${revision}`, namespace: ns, creationTimestamp: created,
    annotations: { 'deployment.kubernetes.io/revision': revision },
    ownerReferences: [{ kind: 'Deployment', name: deploy, uid, controller: true }],
  },
});

test('the last deployment is the one whose newest ReplicaSet appeared last, among those with a previous revision', () => {
  const sets = [
    rs('apps', 'placemyparents', 'u1', '1', '2026-11-01T00:00:00Z'),
    rs('apps', 'placemyparents', 'u1', '2', '2026-11-24T09:00:00Z'),
    rs('web', 'frontend', 'u2', '1', '2026-11-02T00:00:00Z'),
    rs('web', 'frontend', 'u2', '2', '2026-11-23T09:00:00Z'),
    // newest of all, but nothing to go back to
    rs('data', 'redis', 'u3', '1', '2026-11-25T09:00:00Z'),
  ];
  const last = pickLastRollout(sets);
  assert.equal(last && { namespace: last.namespace, name: last.name, revisions: last.revisions }, { namespace: 'apps', name: 'placemyparents', revisions: [2, 1] });
});

test('Date timestamps (client-node) count the same as strings; no candidate → undefined', () => {
  const sets = [rs('a', 'x', 'u1', '1', '2026-01-01T00:00:00Z'), rs('a', 'x', 'u1', '2', '2026-01-02T00:00:00Z'), rs('b', 'y', 'u2', '1', '2026-01-01T00:00:00Z'), rs('b', 'y', 'u2', '3', '2026-01-01T00:00:00Z')];
  sets[3]!.metadata!.creationTimestamp = new Date('2026-02-01T00:00:00Z');
  assert.is(pickLastRollout(sets)?.name, 'y');
  assert.is(pickLastRollout([rs('a', 'x', 'u1', '1', '2026-01-01T00:00:00Z')]), undefined);
  assert.is(pickLastRollout([{ metadata: { name: 'bare', annotations: { 'deployment.kubernetes.io/revision': '2' } } }]), undefined);
});

test.run();
