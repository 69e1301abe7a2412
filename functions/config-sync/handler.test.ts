import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness } from '../../testing/mutation-harness.js';
import type { ConfigChange } from './config-diff.js';
import type { ConfigSyncData } from './handler.js';
import * as configSync from './handler.js';

const h = await startHarness(configSync);
const cm = async (ns: string, name: string) => (await h.core.readNamespacedConfigMap({ namespace: ns, name })).data ?? {};

test('the dry run shows the ConfigMap diff from prod (env=prod namespaces) to staging by key and hash, never a value, and changes nothing', async () => {
  const before = await cm('staging', 'frontend-config');
  const res = await h.call({ from: 'prod', to: 'staging', dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  const data = res.data.data as unknown as ConfigSyncData;
  assert.equal(data.from.namespaces, ['apps', 'data', 'web']);
  assert.equal(data.to.namespaces, ['staging']);
  const fe = data.changes.filter((c) => c.object === 'configmap/staging/frontend-config').map((c) => `${c.field} ${c.before ? 'had' : 'new'}`);
  assert.equal(fe, ['data.ANALYTICS_ENABLED new', 'data.API_URL had', 'data.APP_URL new', 'data.THEME had']);
  const pmp = data.changes.filter((c) => c.object === 'configmap/staging/placemyparents-config').map((c) => c.field);
  assert.equal(pmp, ['data.APP_ENV', 'data.FEATURE_NEW_SEARCH', 'data.LOG_LEVEL', 'data.MAX_UPLOAD_MB']);
  assert.ok(data.changes.every((c) => [c.before, c.after].every((v) => v === null || /^sha256:[0-9a-f]{12}$/.test(v))));
  const text = JSON.stringify(res.data);
  for (const secretish of ['production', 'dark', 'api-server.apps.svc', 'light', 'czNjcjN0']) assert.not.ok(text.includes(secretish), `value ${secretish} leaked`);
  assert.match(res.data.summary ?? '', /^would change \d+ keys in \d+ objects, ConfigMaps of prod \(apps, data, web\) → staging \(staging\)/);
  assert.match(res.data.summary ?? '', /- configmap\/staging\/frontend-config: \+ANALYTICS_ENABLED ~API_URL \+APP_URL ~THEME/);
  assert.not.ok(data.changes.some((c) => c.object.startsWith('secret/')), 'Secrets only when asked');
  assert.equal(await cm('staging', 'frontend-config'), before);
});

test('without approval nothing is applied; approved, it applies exactly the diff it showed and staging then matches prod', async () => {
  const preview = (await h.call({ from: 'prod', to: 'staging', dryRun: true })).data.data as unknown as ConfigSyncData;
  const denied = await h.call({ from: 'prod', to: 'staging' });
  assert.is(denied.status, 403);
  assert.is(denied.data.error?.code, 'approval_required');
  const res = await h.call({ from: 'prod', to: 'staging', diffHash: preview.diffHash }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  const applied = res.data.data as unknown as ConfigSyncData;
  assert.equal(applied.changes, preview.changes as ConfigChange[]);
  assert.equal(await cm('staging', 'frontend-config'), await cm('web', 'frontend-config'));
  assert.equal(await cm('staging', 'placemyparents-config'), await cm('apps', 'placemyparents-config'));
  assert.equal(await cm('staging', 'api-server-config'), await cm('apps', 'api-server-config'));
  const again = await h.call({ from: 'prod', to: 'staging', dryRun: true });
  assert.match(again.data.summary ?? '', /already in sync, nothing to change/);
});

test('Secrets sync only when asked, shown as keys and hashes; a stale preview hash gets 409; unknown sides name the choices', async () => {
  const res = await h.call({ from: 'prod', to: 'staging', secrets: true, dryRun: true });
  const data = res.data.data as unknown as ConfigSyncData;
  const secret = data.changes.filter((c) => c.object === 'secret/staging/placemyparents-db').map((c) => c.field);
  assert.equal(secret, ['data.password', 'data.username']);
  assert.not.ok(JSON.stringify(res.data).includes('czNjcjN0LXBhc3N3b3Jk'));
  const stale = await h.call({ from: 'prod', to: 'staging', secrets: true, diffHash: 'sha256:0000000000000000' }, { approve: true });
  assert.is(stale.status, 409);
  assert.is(await h.core.readNamespacedSecret({ namespace: 'staging', name: 'placemyparents-db' }).then(() => 'there', () => 'absent'), 'absent');
  const unknown = await h.call({ from: 'prod', to: 'qa', dryRun: true });
  assert.is(unknown.status, 404);
  assert.match(unknown.data.error?.message ?? '', /"qa" is neither a kubeconfig context \(ganglion-sim\), nor an env label .*env=prod, env=staging/);
});

test.after(async () => { await h.stop(); });
test.run();
