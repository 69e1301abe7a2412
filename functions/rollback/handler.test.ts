import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rollback from './handler.js';
import * as deploy from '../deploy/handler.js';
import { readyPodsWithImage, startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
const PMP = 'registry.local/placemyparents';

test.before(async () => { h = await startHarness(rollback); });
test.after(async () => { await h.stop(); });

/** Deploys through the deploy function on the same kube-sim, approved. */
async function deployTag(name: string, tag: string): Promise<void> {
  const res = await h.callAs(deploy, { name, tag }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
}

test('with one revision only, undo answers kubectl\'s "no rollout history found"', async () => {
  const res = await h.call({ name: 'frontend', dryRun: true });
  assert.is(res.status, 409);
  assert.is(res.data.error?.message, 'no rollout history found for deployment "frontend"');
});

test('"the last deployment" where nothing has a previous revision says there is nothing to roll back, and changes nothing', async () => {
  const before = await h.kubectl('get', 'deploy', '-n', 'web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.generation} {end}');
  const res = await h.call({ namespace: 'web' }, { approve: true });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /no deployment in namespace web has a previous revision to roll back to/);
  assert.is(await h.kubectl('get', 'deploy', '-n', 'web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.generation} {end}'), before);
});

test('on the fresh home lab, "roll back the last deployment" finds placemyparents\' history and offers 1.4 → 1.3', async () => {
  const res = await h.call({ dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.data.summary, 'would roll back deployment/placemyparents (apps) from revision 2 to revision 1: image placemyparents:1.4 → 1.3');
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:1.4`);
});

test('a dry run of "roll back the last deployment" finds the most recent rollout and shows image 2.0 → 1.4', async () => {
  await deployTag('placemyparents', '2.0');
  const res = await h.call({ dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.data.summary, 'would roll back deployment/placemyparents (apps) from revision 3 to revision 2: image placemyparents:2.0 → 1.4');
  assert.equal(res.data.data?.changes, [{ object: 'deployment/placemyparents', namespace: 'apps', field: 'image', container: 'placemyparents', before: `${PMP}:2.0`, after: `${PMP}:1.4` }]);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:2.0`);
});

test('without approval nothing is rolled back', async () => {
  const res = await h.call({});
  assert.is(res.status, 403);
  assert.is(res.data.error?.code, 'approval_required');
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:2.0`);
});

test('an approved rollback puts 1.4 back on every pod; kubectl rollout history shows the new revision', async () => {
  const res = await h.call({}, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^rolled back deployment\/placemyparents \(apps\) to revision 2: image placemyparents:2\.0 → 1\.4; 3\/3 pods ready$/);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:1.4`);
  assert.is(await readyPodsWithImage(h, 'apps', 'app=placemyparents', `${PMP}:1.4`), 3);
  assert.is(await h.kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), `${PMP}:1.4`);
  // kubectl's own undo semantics: revision 2 (1.4) was reused and became revision 4; 1.3 stays revision 1.
  const history = await h.kubectl('rollout', 'history', 'deployment/placemyparents', '-n', 'apps');
  assert.match(history, /^1\s/m);
  assert.match(history, /^3\s/m);
  assert.match(history, /^4\s/m);
  assert.not.match(history, /^2\s/m);
});

test('toRevision that is not in the history is a 404; the current one is skipped', async () => {
  const missing = await h.call({ name: 'placemyparents', toRevision: 9, dryRun: true });
  assert.is(missing.status, 404);
  assert.match(missing.data.error?.message ?? '', /unable to find specified revision 9/);
  const same = await h.call({ name: 'placemyparents', toRevision: 4 }, { approve: true });
  assert.is(same.status, 200);
  assert.match(same.data.summary ?? '', /skipped rollback \(current template already matches revision 4\)/);
  assert.equal(same.data.data?.changes, [{ object: 'deployment/placemyparents', namespace: 'apps', field: 'template', before: 'revision 4', after: 'revision 4' }]);
});

test('a name in two namespaces is a 409 asking which, naming both', async () => {
  const d = await h.apps.readNamespacedDeployment({ namespace: 'apps', name: 'placemyparents' });
  await h.apps.createNamespacedDeployment({ namespace: 'staging', body: { metadata: { name: 'placemyparents', namespace: 'staging' }, spec: { replicas: 1, selector: d.spec!.selector, template: d.spec!.template } } });
  const res = await h.call({ name: 'placemyparents', dryRun: true });
  assert.is(res.status, 409);
  assert.is(res.data.error?.code, 'ambiguous_deployment');
  assert.match(res.data.error?.message ?? '', /apps\/placemyparents, staging\/placemyparents/);
  const pinned = await h.call({ name: 'placemyparents', namespace: 'apps', dryRun: true });
  assert.is(pinned.status, 200, JSON.stringify(pinned.data));
});

test.run();
