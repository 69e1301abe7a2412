import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCodeOpsCluster } from '../testing/code-ops-cluster.js';
import { GanglionError } from '../kernel/errors.js';
import { createKubeAccess } from './kube-access.js';
import { normaliseRepo, resolveRepo } from './repo-source.js';

const { sim, repo } = await startCodeOpsCluster();
const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();

test('precedence: the input, then the app\'s annotation, then GANGLION_REPO, then the one annotated app', async () => {
  assert.equal(await resolveRepo(c, { repo: 'https://git.example/x.git', app: 'placemyparents' }, '/global'), { url: 'https://git.example/x.git', from: 'input' });
  assert.equal(await resolveRepo(c, { app: 'placemyparents' }, '/global'), { url: repo, from: 'deployment apps/placemyparents annotation ganglion.dev/repo' });
  assert.equal(await resolveRepo(c, { app: 'api-server' }, '/global'), { url: '/global', from: 'GANGLION_REPO' });
  assert.equal(await resolveRepo(c, {}, '/global'), { url: '/global', from: 'GANGLION_REPO' });
  assert.equal(await resolveRepo(c, {}, ''), { url: repo, from: 'deployment apps/placemyparents annotation ganglion.dev/repo' });
});

test('an app without the annotation and no GANGLION_REPO: 404 saying how to configure one', async () => {
  const err = await resolveRepo(c, { app: 'api-server' }, '').catch((e: unknown) => e);
  assert.instance(err, GanglionError);
  assert.is((err as GanglionError).code, 'no_repository');
  assert.match((err as GanglionError).message, 'kubectl annotate deployment api-server ganglion.dev/repo=<git url>');
});

test('local paths become absolute (the worker runs elsewhere); URLs and scp-style remotes stay as written', () => {
  assert.is(normaliseRepo('repos/app'), `${process.cwd()}/repos/app`);
  assert.is(normaliseRepo('file:///srv/git/app.git'), 'file:///srv/git/app.git');
  assert.is(normaliseRepo('git@github.com:me/app.git'), 'git@github.com:me/app.git');
});

test.after(async () => { await sim.stop(); });
test.run();
