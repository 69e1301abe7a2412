import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { createKubeAccess, type KubeClients } from './kube-access.js';
import { patchDeployment, withPrecondition } from './deployment-patch.js';
import { readDeployment } from './deployment-lookup.js';
import { imagePatch } from './image-plan.js';
import { GanglionError } from '../kernel/errors.js';

let sim: KubeSim;
let clients: KubeClients;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const ref = { namespace: 'apps', name: 'placemyparents' };

test.before(async () => {
  sim = await startKubeSim({ home, port: 0, timing: { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 10, terminateMs: 10 } });
  clients = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
});
test.after(async () => {
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

test('every patch carries the resourceVersion it was computed from', () => {
  assert.equal(withPrecondition({ type: 'strategic', body: { spec: { replicas: 2 } } }, '42'), { type: 'strategic', body: { spec: { replicas: 2 }, metadata: { resourceVersion: '42' } } });
  assert.equal(withPrecondition({ type: 'json', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] }, '42').body, [{ op: 'replace', path: '/spec/replicas', value: 2 }, { op: 'replace', path: '/metadata/resourceVersion', value: '42' }]);
});

test('a stale resourceVersion (409) makes it re-read and recompute, then the write lands', async () => {
  const stale = await readDeployment(clients, ref);
  // Someone else changes the Deployment after we read it.
  await clients.apps.patchNamespacedDeployment({ ...ref, body: [{ op: 'add', path: '/metadata/labels/touched', value: 'yes' }] });
  const seen: string[] = [];
  const out = await patchDeployment(clients, ref, (d) => {
    seen.push(d.metadata?.resourceVersion ?? '');
    return { plan: d.metadata?.labels?.touched ?? 'no', patch: { type: 'strategic', body: imagePatch('placemyparents', 'registry.local/placemyparents:2.0') } };
  }, { first: stale });
  assert.is(out.attempts, 2);
  assert.is(out.plan, 'yes', 'the second plan was computed from the fresh object');
  assert.is(seen[0], stale.metadata?.resourceVersion);
  assert.is.not(seen[1], seen[0]);
  assert.is(out.after.spec?.template.spec?.containers[0]?.image, 'registry.local/placemyparents:2.0');
});

test('conflicts beyond the bound end in a clear 409 error, not a loop', async () => {
  const stale = await readDeployment(clients, ref);
  await clients.apps.patchNamespacedDeployment({ ...ref, body: [{ op: 'add', path: '/metadata/labels/touched', value: 'again' }] });
  const err = await patchDeployment(clients, ref, () => ({ plan: 0, patch: { type: 'merge', body: { spec: { replicas: 2 } } } }), { first: stale, attempts: 1 }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, GanglionError);
  assert.is((err as GanglionError).status, 409);
  assert.match((err as GanglionError).message, /^deployment apps\/placemyparents kept changing while we wrote it \(409 Conflict 1 times\)/);
  assert.is((await readDeployment(clients, ref)).spec?.replicas, 3, 'nothing was written');
});

test('no patch means no write', async () => {
  const before = await readDeployment(clients, ref);
  const out = await patchDeployment(clients, ref, () => ({ plan: 'same', patch: undefined }));
  assert.is(out.after, out.before);
  assert.is((await readDeployment(clients, ref)).metadata?.generation, before.metadata?.generation, 'the spec was not written');
});

test.run();
