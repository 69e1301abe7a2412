import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as restart from './handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(restart); });
test.after(async () => { await h.stop(); });

const podNames = async () => (await h.core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=placemyparents' })).items
  .filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name ?? '').sort();

test('a dry run names the annotation it would set and changes nothing', async () => {
  const res = await h.call({ name: 'placemyparents', dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^would restart deployment\/placemyparents \(apps\): every pod replaced by a rolling update \(restartedAt \(none\) → \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ on deployment\/placemyparents \(apps\)\)$/);
  assert.is(await h.kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.metadata.annotations}'), '');
});

test('an approved restart replaces every pod and records restartedAt as kubectl does', async () => {
  const before = await podNames();
  const res = await h.call({ name: 'placemyparents' }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.data.summary, 'restarted deployment/placemyparents (apps); 3/3 pods ready');
  const after = await podNames();
  assert.is(after.length, 3);
  assert.ok(after.every((p) => !before.includes(p)), `${before} → ${after}`);
  const stamp = await h.kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}');
  assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('a paused Deployment is refused with the command that resumes it', async () => {
  await h.kubectl('rollout', 'pause', 'deployment/frontend', '-n', 'web');
  const res = await h.call({ name: 'frontend' }, { approve: true });
  assert.is(res.status, 409);
  assert.match(res.data.error?.message ?? '', /can't restart paused deployment web\/frontend \(run kubectl rollout resume deployment\/frontend -n web first\)/);
});

test('an unknown Deployment is a 404 naming the closest, before anything is written', async () => {
  const res = await h.call({ name: 'frontnd' }, { approve: true });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /no deployment "frontnd" in any namespace .*closest: frontend/);
});

test.run();
