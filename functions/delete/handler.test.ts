import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as del from './handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(del); });
test.after(async () => { await h.stop(); });

const hashOf = (res: Awaited<ReturnType<Harness['call']>>) => (res.data.data as { diffHash: string }).diffHash;

test('a selector that matches nothing says so, with one unchanged marker and nothing to approve', async () => {
  const res = await h.call({ kind: 'pods', labelSelector: 'app=no-such-app', fieldSelector: 'status.phase=Failed', dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.data.summary, 'no pods match app=no-such-app,status.phase=Failed in any namespace; nothing to delete, nothing was changed');
  assert.equal((res.data.data as { changes: unknown[] }).changes, [{ object: 'pods', field: 'matches', before: 'none', after: 'none' }]);
});

test('the failed pods (status.phase=Failed) of every namespace are listed with their phase', async () => {
  const res = await h.call({ kind: 'pods', fieldSelector: 'status.phase=Failed', dryRun: true });
  assert.is(res.data.summary, 'would delete 1 pod (pods matching status.phase=Failed, any namespace):\n- pod/log-shipper-5d8f7 (monitoring, Failed)');
});

test('the preview lists exactly the pods that go; the approved delete removes exactly those, and a stale pin is refused', async () => {
  const before = (await h.kubectl('get', 'pods', '-n', 'web', '-l', 'app=frontend', '-o', 'name')).split('\n').filter(Boolean);
  assert.ok(before.length > 0);
  const preview = await h.call({ kind: 'pod', labelSelector: 'app=frontend', namespace: 'web', dryRun: true });
  assert.is(preview.status, 200, JSON.stringify(preview.data));
  for (const p of before) assert.match(preview.data.summary ?? '', new RegExp(`- ${p} \\(web, Running\\)`));
  assert.equal((await h.kubectl('get', 'pods', '-n', 'web', '-l', 'app=frontend', '-o', 'name')).split('\n').filter(Boolean), before, 'nothing deleted by the preview');
  const stale = await h.call({ kind: 'pod', labelSelector: 'app=frontend', namespace: 'web', diffHash: 'delete:stale' }, { approve: true });
  assert.is(stale.status, 409);
  const res = await h.call({ kind: 'pod', labelSelector: 'app=frontend', namespace: 'web', diffHash: hashOf(preview) }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.equal((res.data.data as { deleted: string[] }).deleted.sort(), before.map((p) => `web/${p.slice('pod/'.length)}`).sort());
});

test('a named object that is not there is a 404 naming the closest; Secrets and protected namespaces are refused', async () => {
  const missing = await h.call({ kind: 'configmap', names: ['api-server-confg'], namespace: 'apps', dryRun: true });
  assert.is(missing.status, 404);
  assert.match(missing.data.error?.message ?? '', /^no ConfigMap api-server-confg in namespace apps; closest: api-server-config/);
  const secret = await h.call({ kind: 'secrets', names: ['api-server-db'], namespace: 'apps', dryRun: true });
  assert.is(secret.status, 403);
  assert.match(secret.data.error?.message ?? '', /Secrets are denied/);
  const system = await h.call({ kind: 'pod', labelSelector: 'a=b', namespace: 'kube-system', dryRun: true });
  assert.is(system.status, 403);
});

test.run();
