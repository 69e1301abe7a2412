/** The real kubectl against kube-sim's CustomResourceDefinitions: apply a CRD, then get, apply, patch and delete its objects. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR } from '../package-dir.js';
import { startSampleServer, type SampleServer } from '../server/sample-cluster.js';

const crds = suite<{ sim?: SampleServer }>('kubectl and CustomResourceDefinitions', {});
const CRD_FILE = path.join(PACKAGE_DIR, 'crd', 'testdata', 'monitor-crd.yaml');

function kubectl(sim: SampleServer, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { env: { ...process.env, HOME: sim.home }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

/** Writes a manifest into the server's home and returns its path. */
function manifest(sim: SampleServer, name: string, yaml: string): string {
  const file = path.join(sim.home, name);
  writeFileSync(file, yaml);
  return file;
}

const monitor = (name: string, spec: string) => `apiVersion: ganglion.dev/v1\nkind: Monitor\nmetadata:\n  name: ${name}\n  namespace: apps\nspec:\n${spec}\n`;
const rows = (out: string) => out.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
const sim = (ctx: { sim?: SampleServer }): SampleServer => {
  if (!ctx.sim) throw new Error('the server did not start');
  return ctx.sim;
};

crds.before(async (ctx) => {
  ctx.sim = await startSampleServer();
  const applied = await kubectl(ctx.sim, 'apply', '-f', CRD_FILE);
  assert.is(applied.code, 0, applied.err);
});
crds.after(async (ctx) => {
  await ctx.sim?.close();
});

crds('kubectl get crd lists the definition, which is Established with its names accepted', async (ctx) => {
  const list = await kubectl(sim(ctx), 'get', 'crd');
  assert.equal(rows(list.out)[0], ['NAME', 'CREATED AT']);
  assert.is(rows(list.out)[1][0], 'monitors.ganglion.dev');
  const conditions = await kubectl(sim(ctx), 'get', 'crd', 'monitors.ganglion.dev', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status} {end}');
  assert.is(conditions.out.trim(), 'NamesAccepted=True Established=True');
  const waited = await kubectl(sim(ctx), 'wait', '--for=condition=Established', 'crd/monitors.ganglion.dev', '--timeout=5s');
  assert.is(waited.code, 0, waited.err);
});

crds('kubectl api-resources shows the custom resource with its short name and scope', async (ctx) => {
  const { out } = await kubectl(sim(ctx), 'api-resources', '--api-group=ganglion.dev');
  assert.equal(rows(out)[1], ['monitors', 'mon', 'ganglion.dev/v1', 'true', 'Monitor']);
});

crds('kubectl get monitors prints the CRD\'s printer columns, by plural, short name and category', async (ctx) => {
  const s = sim(ctx);
  const applied = await kubectl(s, 'apply', '-f', manifest(s, 'disk.yaml', monitor('disk', '  schedule: "*/5 * * * *"\n  replicas: 2')));
  assert.is(applied.code, 0, applied.err);
  assert.match(applied.out, 'monitor.ganglion.dev/disk created');
  for (const name of ['monitors', 'mon', 'ganglion']) {
    const { out, err } = await kubectl(s, 'get', name, '-n', 'apps');
    assert.equal(rows(out)[0], ['NAME', 'SCHEDULE', 'REPLICAS', 'PHASE', 'AGE'], err);
    assert.equal(rows(out)[1].slice(0, 3), ['disk', '*/5 * * * *', '2']);
    assert.match(rows(out)[1].at(-1) ?? '', /^\d+s$/);
  }
});

crds('an object with a wrong type gets 422 Invalid naming each field, in the API server\'s words', async (ctx) => {
  const s = sim(ctx);
  const { code, err } = await kubectl(s, 'apply', '-f', manifest(s, 'bad.yaml', monitor('bad', '  replicas: three\n  mode: sleep')));
  assert.is(code, 1);
  assert.match(err, 'The Monitor "bad" is invalid');
  assert.match(err, 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
  assert.match(err, 'spec.schedule: Required value');
  assert.match(err, 'spec.mode: Unsupported value: "sleep": supported values: "watch", "page"');
  const missing = await kubectl(s, 'get', 'monitor', 'bad', '-n', 'apps');
  assert.match(missing.err, 'monitors.ganglion.dev "bad" not found');
});

crds('fields the schema does not declare are pruned; preserved subtrees are kept', async (ctx) => {
  const s = sim(ctx);
  const spec = '  schedule: "@hourly"\n  colour: blue\n  extra:\n    anything: [1, 2]';
  assert.is((await kubectl(s, 'apply', '-f', manifest(s, 'pruned.yaml', monitor('pruned', spec)))).code, 0);
  const { out } = await kubectl(s, 'get', 'monitor', 'pruned', '-n', 'apps', '-o', 'jsonpath={.spec}');
  assert.equal(JSON.parse(out), { schedule: '@hourly', extra: { anything: [1, 2] } });
});

crds('the status subresource changes only status, and the main resource ignores status', async (ctx) => {
  const s = sim(ctx);
  assert.is((await kubectl(s, 'apply', '-f', manifest(s, 'status.yaml', monitor('status', '  schedule: "@daily"\n  replicas: 1')))).code, 0);
  const viaStatus = await kubectl(s, 'patch', 'monitor', 'status', '-n', 'apps', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Healthy"},"spec":{"replicas":9}}');
  assert.is(viaStatus.code, 0, viaStatus.err);
  const viaMain = await kubectl(s, 'patch', 'monitor', 'status', '-n', 'apps', '--type=merge', '-p', '{"status":{"phase":"Broken"},"spec":{"replicas":3}}');
  assert.is(viaMain.code, 0, viaMain.err);
  const { out } = await kubectl(s, 'get', 'monitor', 'status', '-n', 'apps', '-o', 'jsonpath={.spec.replicas} {.status.phase} {.metadata.generation}');
  assert.is(out, '3 Healthy 2');
  const table = await kubectl(s, 'get', 'monitor', 'status', '-n', 'apps', '--no-headers');
  assert.equal(rows(table.out)[0].slice(0, 4), ['status', '@daily', '3', 'Healthy']);
});

crds('kubectl get --watch follows the objects, and deleting the CRD removes its objects and its discovery entries', async (ctx) => {
  const s = sim(ctx);
  const watching = kubectl(s, 'get', 'monitors', '-n', 'apps', '--watch', '--request-timeout=3s');
  await new Promise((resolve) => setTimeout(resolve, 800));
  const deleted = await kubectl(s, 'delete', 'crd', 'monitors.ganglion.dev');
  assert.is(deleted.code, 0, deleted.err);
  assert.not.ok(s.store.resources().includes('monitors.ganglion.dev'), 'the monitors are gone from the store');
  assert.is(s.store.registry.byKey('monitors.ganglion.dev'), undefined);
  const watched = await watching;
  assert.match(watched.out, /^disk\s+\*\/5 \* \* \* \*/m);
  const gone = await kubectl(s, 'get', 'monitors', '-n', 'apps');
  assert.is(gone.code, 1);
  assert.match(gone.err, /the server doesn't have a resource type "monitors"|could not find the requested resource/);
  const group = await fetch(`${s.url}/apis/ganglion.dev`, { headers: { authorization: `Bearer ${s.token}` } });
  assert.is(group.status, 404);
});

crds.run();
