import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness } from '../../testing/mutation-harness.js';
import { startFaultyFront, type FaultyFront } from '../../testing/faulty-api-front.js';
import type { ConfigChange } from './config-diff.js';
import type { ConfigSyncData } from './handler.js';
import * as configSync from './handler.js';

let front: FaultyFront | undefined;
const h = await startHarness(configSync, { apiFront: async (url) => (front = await startFaultyFront(url)).url });
const cm = async (ns: string, name: string) => (await h.core.readNamespacedConfigMap({ namespace: ns, name })).data ?? {};
const secretIn = (ns: string, name: string) => h.core.readNamespacedSecret({ namespace: ns, name }).then((s) => s.data ?? {}, () => 'absent' as const);
/** Every ConfigMap and Secret of staging, as kubectl shows them: what "nothing changed" is checked against. */
const staging = async () => JSON.stringify(JSON.parse(await h.kubectl('get', 'configmaps,secrets', '-n', 'staging', '-o', 'json')).items.map((o: { kind: string; metadata: { name: string }; data?: unknown }) => [o.kind, o.metadata.name, o.data]));
const dataOf = (res: { data: { data?: unknown } }) => res.data.data as ConfigSyncData;
/** The home lab's Secret values (placemyparents-db, api-server-db), base64 as stored and decoded. */
const SECRET_VALUES = ['czNjcjN0LXBhc3N3b3Jk', 's3cr3t-password', 'cGxhY2VteXBhcmVudHM=', 'YXBpLXNlY3JldA==', 'api-secret'];

test('the dry run shows the ConfigMap diff from prod (env=prod namespaces) to staging by key name only, never a value or hash, and changes nothing', async () => {
  const before = await staging();
  const res = await h.call({ from: 'prod', to: 'staging', dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  const data = dataOf(res);
  assert.equal(data.from.namespaces, ['apps', 'data', 'web']);
  assert.equal(data.to.namespaces, ['staging']);
  const fe = data.changes.filter((c) => c.object === 'configmap/staging/frontend-config').map((c) => `${c.field} ${c.before ?? 'none'}→${c.after ?? 'none'}`);
  assert.equal(fe, ['data.ANALYTICS_ENABLED none→added', 'data.API_URL set→changed', 'data.APP_URL none→added', 'data.THEME set→changed']);
  const pmp = data.changes.filter((c) => c.object === 'configmap/staging/placemyparents-config').map((c) => c.field);
  assert.equal(pmp, ['data.APP_ENV', 'data.FEATURE_NEW_SEARCH', 'data.LOG_LEVEL', 'data.MAX_UPLOAD_MB']);
  const text = JSON.stringify(res.data);
  assert.not.match(text, /sha256/);
  for (const value of ['production', 'dark', 'api-server.apps.svc', 'light', ...SECRET_VALUES]) assert.not.ok(text.includes(value), `value ${value} leaked`);
  assert.match(res.data.summary ?? '', /^would change \d+ keys in \d+ objects, ConfigMaps of prod \(apps, data, web\) → staging \(staging\)/);
  assert.match(res.data.summary ?? '', /- configmap\/staging\/frontend-config: \+ANALYTICS_ENABLED ~API_URL \+APP_URL ~THEME/);
  assert.not.ok(data.changes.some((c) => c.object.startsWith('secret/')), 'Secrets only when named');
  assert.is(await staging(), before);
});

test('an unapproved dry run naming a Secret shows its key names only: no value, no hash of a value, from no other Secret', async () => {
  const res = await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  const changes = dataOf(res).changes.filter((c) => c.object.startsWith('secret/'));
  assert.equal(changes.map((c) => `${c.object} ${c.field} ${c.after}`), ['secret/staging/placemyparents-db data.password added', 'secret/staging/placemyparents-db data.username added']);
  const text = JSON.stringify(res.data);
  for (const value of SECRET_VALUES) assert.not.ok(text.includes(value), `value ${value} leaked`);
  assert.not.match(text, /sha256|api-server-db|postgres-credentials/);
  const missing = await h.call({ from: 'prod', to: 'staging', secrets: ['no-such-secret'], dryRun: true });
  assert.is(missing.status, 404);
  assert.is(missing.data.error?.code, 'secret_not_found');
});

test('an approved apply whose source changed after the dry run gets 409 and writes nothing', async () => {
  const preview = dataOf(await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], dryRun: true }));
  await h.kubectl('patch', 'secret', 'placemyparents-db', '-n', 'apps', '--type', 'merge', '-p', JSON.stringify({ data: { password: Buffer.from('rotated-after-approval').toString('base64') } }));
  const before = await staging();
  const res = await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], diffHash: preview.diffHash }, { approve: true });
  assert.is(res.status, 409, JSON.stringify(res.data));
  assert.is(res.data.error?.code, 'config_changed');
  assert.is(await staging(), before);
  const unpinned = await h.call({ from: 'prod', to: 'staging' }, { approve: true });
  assert.is(unpinned.status, 400);
  assert.is(unpinned.data.error?.code, 'diff_not_pinned');
  assert.is(await staging(), before);
});

test('a write refused mid-apply is undone: the objects written before it are put back and staging is as it was', async () => {
  const preview = dataOf(await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], dryRun: true }));
  assert.ok(preview.objects.length >= 3, JSON.stringify(preview.objects));
  const before = await staging();
  // the plan writes ConfigMaps first (sorted by kind), the Secret last: refuse the Secret's create
  front?.failNext((method, path) => method === 'POST' && path === '/api/v1/namespaces/staging/secrets');
  const res = await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], diffHash: preview.diffHash }, { approve: true });
  assert.is(res.status, 502, JSON.stringify(res.data));
  assert.is(res.data.error?.code, 'config_sync_rolled_back');
  assert.equal(front?.refused, ['POST /api/v1/namespaces/staging/secrets']);
  assert.is(await staging(), before);
  assert.is(await secretIn('staging', 'placemyparents-db'), 'absent');
});

test('approved without naming a Secret, it syncs the ConfigMaps and copies no Secret; staging then matches prod', async () => {
  const preview = dataOf(await h.call({ from: 'prod', to: 'staging', dryRun: true }));
  const denied = await h.call({ from: 'prod', to: 'staging', diffHash: preview.diffHash });
  assert.is(denied.status, 403);
  assert.is(denied.data.error?.code, 'approval_required');
  const secretsBefore = (await h.core.listNamespacedSecret({ namespace: 'staging' })).items.map((s) => s.metadata?.name);
  const res = await h.call({ from: 'prod', to: 'staging', diffHash: preview.diffHash }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.equal(dataOf(res).changes, preview.changes as ConfigChange[]);
  assert.equal(await cm('staging', 'frontend-config'), await cm('web', 'frontend-config'));
  assert.equal(await cm('staging', 'placemyparents-config'), await cm('apps', 'placemyparents-config'));
  assert.equal((await h.core.listNamespacedSecret({ namespace: 'staging' })).items.map((s) => s.metadata?.name), secretsBefore);
  const again = await h.call({ from: 'prod', to: 'staging', dryRun: true });
  assert.match(again.data.summary ?? '', /already in sync, nothing to change/);
});

test('a named Secret is copied when approved; unknown sides name the choices', async () => {
  const preview = dataOf(await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], dryRun: true }));
  const res = await h.call({ from: 'prod', to: 'staging', secrets: ['placemyparents-db'], diffHash: preview.diffHash }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.equal(await secretIn('staging', 'placemyparents-db'), await secretIn('apps', 'placemyparents-db'));
  assert.is(await secretIn('staging', 'api-server-db'), 'absent');
  const unknown = await h.call({ from: 'prod', to: 'qa', dryRun: true });
  assert.is(unknown.status, 404);
  assert.match(unknown.data.error?.message ?? '', /"qa" is neither a kubeconfig context \(ganglion-sim\), nor an env label .*env=prod, env=staging/);
});

test.after(async () => { await h.stop(); await front?.close(); });
test.run();
