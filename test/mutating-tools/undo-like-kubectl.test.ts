import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rollback from '../../functions/rollback/handler.js';
import * as deploy from '../../functions/deploy/handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';

// Two identical demo clusters: on one `kubectl rollout undo` runs, on the other the rollback function.
let ours: Harness;
let theirs: Harness;
test.before(async () => {
  ours = await startHarness(rollback);
  theirs = await startHarness(rollback);
});
test.after(async () => {
  await ours.stop();
  await theirs.stop();
});

/** What undo decides, as kubectl prints it: the template, the annotations, the history. */
async function state(h: Harness): Promise<{ template: unknown; annotations: unknown; history: string }> {
  // kubectl's Go client sends the template's zero creationTimestamp as null; semantically that is no value.
  const d = JSON.parse(await h.kubectl('get', 'deploy', 'frontend', '-n', 'web', '-o', 'json'), (_k, v: unknown) => (v === null ? undefined : v)) as { metadata: { annotations?: Record<string, string> }; spec: { template: unknown } };
  const history = (await h.kubectl('rollout', 'history', 'deployment/frontend', '-n', 'web')).trim();
  return { template: d.spec.template, annotations: d.metadata.annotations, history };
}

test('the rollback function leaves the Deployment exactly as kubectl rollout undo does', async () => {
  for (const h of [ours, theirs]) {
    const res = await h.callAs(deploy, { name: 'frontend', tag: '2.4.0' }, { approve: true });
    assert.is(res.status, 200, JSON.stringify(res.data));
    // A change-cause on the new ReplicaSet's Deployment shows which annotations travel with a revision.
    await h.kubectl('annotate', 'deploy', 'frontend', '-n', 'web', 'kubernetes.io/change-cause=deploy 2.4.0');
  }
  assert.match(await theirs.kubectl('rollout', 'undo', 'deployment/frontend', '-n', 'web'), /rolled back/);
  await theirs.kubectl('rollout', 'status', 'deployment/frontend', '-n', 'web', '--timeout=20s');
  const res = await ours.call({ name: 'frontend' }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /image frontend:2\.4\.0 → 2\.3\.0/);
  const [a, b] = [await state(ours), await state(theirs)];
  assert.equal(a.template, b.template);
  assert.equal(a.annotations, b.annotations);
  // undo replaces the annotation map: the change-cause set on the Deployment goes, its revision stays.
  assert.equal(a.annotations, { 'deployment.kubernetes.io/revision': '3' });
  assert.is(a.history, b.history);
});

test.run();
