import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as deploy from './handler.js';
import { readyPodsWithImage, startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(deploy); });
test.after(async () => { await h.stop(); });

const PMP = 'registry.local/placemyparents';

test('without approval a deploy is refused with 403 approval_required and nothing changes', async () => {
  const res = await h.call({ name: 'placemyparents', tag: '2.0' });
  assert.is(res.status, 403);
  assert.is(res.data.error?.code, 'approval_required');
  const forged = await h.call({ name: 'placemyparents', tag: '2.0' }, { token: 'f'.repeat(64) });
  assert.is(forged.status, 403);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:1.4`);
});

test('the approval covers the parsed input: a token signed over the raw input (no defaults) is refused', async () => {
  const { approvalKey, signApproval } = await import('../../host/approval-token.js');
  const raw = { name: 'placemyparents', tag: '2.0' };
  const token = signApproval(approvalKey(h.config), { runId: `run-${process.pid}`, stepId: 'raw', fn: 'deploy', input: raw });
  const res = await h.call(raw, { token, stepId: 'raw' });
  assert.is(res.data.error?.code, 'approval_required');
  const parsed = deploy.meta.input.parse(raw);
  assert.equal(parsed, { ...raw, timeoutSeconds: 60, rollbackOnFailure: true, dryRun: false }, 'the defaults the signer must include');
  assert.is(res.status, 403);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:1.4`);
});

test('a dry run shows image 1.4 → 2.0, finds the namespace by itself, and changes nothing', async () => {
  const res = await h.call({ name: 'placemyparents', tag: '2.0', dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.data.summary, 'would set image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)');
  assert.equal(res.data.data?.changes, [{ object: 'deployment/placemyparents', namespace: 'apps', field: 'image', container: 'placemyparents', before: `${PMP}:1.4`, after: `${PMP}:2.0` }]);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:1.4`);
});

test('an approved deploy rolls out 2.0 and every pod runs it, as kubectl confirms', async () => {
  const res = await h.call({ name: 'placemyparents', tag: '2.0' }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^set image placemyparents:1\.4 → 2\.0 on deployment\/placemyparents \(apps\); rolled out, 3\/3 pods ready$/);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:2.0`);
  assert.is(await readyPodsWithImage(h, 'apps', 'app=placemyparents', `${PMP}:2.0`), 3);
  assert.is(await h.kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.status.updatedReplicas} {.status.availableReplicas}'), `${PMP}:2.0 3 3`);
  const history = await h.kubectl('rollout', 'history', 'deployment/placemyparents', '-n', 'apps');
  assert.match(history, /^1\s/m);
  assert.match(history, /^2\s/m);
});

test('deploying the version already running changes nothing and says so', async () => {
  const res = await h.call({ name: 'placemyparents', image: `${PMP}:2.0`, dryRun: true });
  assert.is(res.status, 200);
  assert.is(res.data.summary, 'deployment/placemyparents (apps) already runs placemyparents:2.0; nothing would change');
});

test('an unpullable tag fails the rollout, says which pods cannot pull what, and rolls back to the previous image', async () => {
  const res = await h.call({ name: 'placemyparents', tag: '2.1-broken' }, { approve: true });
  assert.is(res.status, 422, JSON.stringify(res.data));
  assert.is(res.type, 'dev.ganglion.step.failed');
  assert.is(res.data.error?.code, 'rollout_failed');
  // maxSurge 25% of 3 = 1 new pod at a time, maxUnavailable 25% of 3 = 0: one new pod fails, the old three keep serving.
  assert.is(res.data.error?.message, 'rollout of placemyparents to 2.1-broken failed: 1 of 3 new pods cannot pull image registry.local/placemyparents:2.1-broken (ImagePullBackOff); rolled back to 2.0');
  assert.equal(res.data.error?.details?.changes, [{ object: 'deployment/placemyparents', namespace: 'apps', field: 'image', container: 'placemyparents', before: `${PMP}:2.0`, after: `${PMP}:2.1-broken` }]);
  assert.is(res.data.error?.details?.rolledBack, true);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:2.0`);
  assert.is(await readyPodsWithImage(h, 'apps', 'app=placemyparents', `${PMP}:2.0`), 3);
});

test('with rollbackOnFailure off the broken image stays and the message says how to undo', async () => {
  const res = await h.call({ name: 'placemyparents', tag: '2.1-broken', rollbackOnFailure: false, timeoutSeconds: 5 }, { approve: true });
  assert.is(res.status, 422);
  assert.match(res.data.error?.message ?? '', /left at 2\.1-broken .*kubectl rollout undo deployment\/placemyparents -n apps/);
  assert.is(await h.image('apps', 'placemyparents'), `${PMP}:2.1-broken`);
});

test('an unknown deployment is a 404 naming the closest ones', async () => {
  const res = await h.call({ name: 'placemyparent', tag: '2.0', dryRun: true });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /no deployment "placemyparent" in any namespace .*closest: placemyparents/);
});

test('input needs either image or tag', async () => {
  const res = await h.call({ name: 'placemyparents', dryRun: true });
  assert.is(res.status, 400);
  assert.match(res.data.error?.message ?? '', /give either image or tag/);
});

test.run();
