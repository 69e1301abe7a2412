import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCodeOpsCluster } from '../testing/code-ops-cluster.js';
import { GanglionError } from '../kernel/errors.js';
import { createKubeAccess } from './kube-access.js';
import { normaliseRepo, repoKind, resolveRepo } from './repo-source.js';

const { sim, repo } = await startCodeOpsCluster();
const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();

test('precedence: the input, then the app\'s annotation, then GANGLION_REPO, then the one annotated app', async () => {
  assert.equal(await resolveRepo(c, { repo: 'https://git.example/x.git', app: 'placemyparents' }, '/global', ['https://git.example']), { url: 'https://git.example/x.git', from: 'input (GANGLION_REPO_ALLOW)' });
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

const refusal = async (repo: string, allow: string[] = ['https://git.example/team', 'git@git.example:team/']) => {
  const err = await resolveRepo(c, { repo }, '/global', allow).catch((e: unknown) => e);
  assert.instance(err, GanglionError, `${repo} was accepted`);
  return err as GanglionError;
};

test('a repo the caller types is refused 403 unless an annotation, GANGLION_REPO or an allow-listed https/ssh prefix names it', async () => {
  for (const repo of ['https://evil.example/x.git', 'https://git.example/team-evil/x.git', 'http://git.example/team/x.git', 'file:///etc', '/home/me/.ssh', 'repos/other',
    'ext::sh -c touch% /tmp/pwned', 'fd::3', '--upload-pack=touch /tmp/pwned', 'git://git.example/team/x.git']) {
    const err = await refusal(repo);
    assert.is(err.status, 403, repo);
    assert.is(err.code, 'repo_not_allowed', repo);
    assert.match(err.message, 'GANGLION_REPO_ALLOW');
  }
  assert.is((await resolveRepo(c, { repo: 'https://git.example/team/app.git' }, '', ['https://git.example/team'])).url, 'https://git.example/team/app.git');
  assert.is((await resolveRepo(c, { repo: 'git@git.example:team/app.git' }, '', ['git@git.example:team/'])).url, 'git@git.example:team/app.git');
  // the annotation's local path (the embedded demo repository) and GANGLION_REPO are the operator's: typed again, they pass
  assert.equal(await resolveRepo(c, { repo }, ''), { url: repo, from: 'deployment apps/placemyparents annotation ganglion.dev/repo' });
  assert.equal(await resolveRepo(c, { repo: '/global' }, '/global'), { url: '/global', from: 'GANGLION_REPO' });
});

test('even GANGLION_REPO may not name a transport that runs a program', async () => {
  const err = await resolveRepo(c, {}, 'ext::sh -c id').catch((e: unknown) => e);
  assert.is((err as GanglionError).status, 403);
  assert.equal(['https://h/x', 'ssh://h/x', 'git@h:x', '/srv/x', 'file:///srv/x', 'ext::sh', 'fd::1', '-u', 'http://h/x'].map(repoKind),
    ['remote', 'remote', 'remote', 'local', 'local', 'refused', 'refused', 'refused', 'refused']);
});

test.after(async () => { await sim.stop(); });
test.run();
