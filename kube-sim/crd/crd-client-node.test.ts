/** client-node's ApiextensionsV1Api and CustomObjectsApi against kube-sim: define Monitors, then read and write them. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ApiException, ApiextensionsV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions, type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { PACKAGE_DIR } from '../package-dir.js';
import { startSampleServer, type SampleServer } from '../server/sample-cluster.js';

interface Clients { sim?: SampleServer; custom?: CustomObjectsApi; extensions?: ApiextensionsV1Api }
const objects = suite<Clients>('client-node and custom resources', {});
const where = { group: 'ganglion.dev', version: 'v1', namespace: 'apps', plural: 'monitors' };

function clients(ctx: Clients): { custom: CustomObjectsApi; extensions: ApiextensionsV1Api } {
  if (!ctx.custom || !ctx.extensions) throw new Error('the server did not start');
  return { custom: ctx.custom, extensions: ctx.extensions };
}

async function failure(call: () => Promise<unknown>): Promise<{ code: number; body: { reason?: string; message?: string; details?: { causes?: { field: string; reason: string }[] } } }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof ApiException) return { code: err.code, body: typeof err.body === 'string' ? JSON.parse(err.body) : {} };
    throw err;
  }
  throw new Error('the call succeeded');
}

objects.before(async (ctx) => {
  ctx.sim = await startSampleServer();
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.sim.kubeconfigPath);
  ctx.custom = kc.makeApiClient(CustomObjectsApi);
  ctx.extensions = kc.makeApiClient(ApiextensionsV1Api);
  const body: V1CustomResourceDefinition = parse(readFileSync(path.join(PACKAGE_DIR, 'crd', 'testdata', 'monitor-crd.yaml'), 'utf8'));
  await ctx.extensions.createCustomResourceDefinition({ body });
});
objects.after(async (ctx) => {
  await ctx.sim?.close();
});

objects('a created CRD reads back Established with its accepted names and defaulted list kind', async (ctx) => {
  const crd = await clients(ctx).extensions.readCustomResourceDefinition({ name: 'monitors.ganglion.dev' });
  assert.is(crd.spec.names.listKind, 'MonitorList');
  assert.is(crd.status?.acceptedNames?.kind, 'Monitor');
  assert.equal(crd.status?.conditions?.map((c) => `${c.type}=${c.status}`), ['NamesAccepted=True', 'Established=True']);
  assert.equal(crd.status?.storedVersions, ['v1']);
});

objects('CustomObjectsApi creates, lists, gets, patches and deletes monitors', async (ctx) => {
  const { custom } = clients(ctx);
  const created = await custom.createNamespacedCustomObject({ ...where, body: { apiVersion: 'ganglion.dev/v1', kind: 'Monitor', metadata: { name: 'cpu' }, spec: { schedule: '@hourly', replicas: 1 } } });
  assert.is(created.metadata.namespace, 'apps');
  assert.ok(created.metadata.uid);
  const list = await custom.listNamespacedCustomObject(where);
  assert.is(list.kind, 'MonitorList');
  assert.equal(list.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['cpu']);
  await custom.patchNamespacedCustomObject({ ...where, name: 'cpu', body: { spec: { replicas: 4 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  const read = await custom.getNamespacedCustomObject({ ...where, name: 'cpu' });
  assert.equal(read.spec, { schedule: '@hourly', replicas: 4 });
  await custom.deleteNamespacedCustomObject({ ...where, name: 'cpu' });
  const gone = await failure(() => custom.getNamespacedCustomObject({ ...where, name: 'cpu' }));
  assert.is(gone.code, 404);
  assert.is(gone.body.message, 'monitors.ganglion.dev "cpu" not found');
});

objects('the status subresource is written apart from the object', async (ctx) => {
  const { custom } = clients(ctx);
  await custom.createNamespacedCustomObject({ ...where, body: { apiVersion: 'ganglion.dev/v1', kind: 'Monitor', metadata: { name: 'disk' }, spec: { schedule: '@daily' }, status: { phase: 'Ignored' } } });
  const fresh = await custom.getNamespacedCustomObject({ ...where, name: 'disk' });
  assert.is(fresh.status, undefined, 'a create ignores status when the status subresource is declared');
  await custom.patchNamespacedCustomObjectStatus({ ...where, name: 'disk', body: { status: { phase: 'Healthy' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  const current = await custom.getNamespacedCustomObject({ ...where, name: 'disk' });
  const replaced = await custom.replaceNamespacedCustomObject({ ...where, name: 'disk', body: { ...current, spec: { schedule: '@weekly' }, status: { phase: 'Overwritten' } } });
  assert.equal(replaced.status, { phase: 'Healthy' });
  assert.is(replaced.spec.schedule, '@weekly');
});

objects('a schema violation is 422 Invalid with a cause per field', async (ctx) => {
  const { custom } = clients(ctx);
  const bad = await failure(() => custom.createNamespacedCustomObject({ ...where, body: { apiVersion: 'ganglion.dev/v1', kind: 'Monitor', metadata: { name: 'bad' }, spec: { schedule: 5, replicas: 'two' } } }));
  assert.is(bad.code, 422);
  assert.is(bad.body.reason, 'Invalid');
  assert.equal(bad.body.details?.causes?.map((c) => `${c.field} ${c.reason}`).sort(), ['spec.replicas FieldValueTypeInvalid', 'spec.schedule FieldValueTypeInvalid']);
  assert.match(bad.body.message ?? '', 'Monitor.ganglion.dev "bad" is invalid: [');
});

objects.run();
