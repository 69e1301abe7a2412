import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_DIR } from '../package-dir.js';
import { startKubeSim } from '../index.js';

// kube-sim runs as a child process (the `kube-sim` command) so that it can be killed with SIGKILL and started again
const home = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-persist-'));
const kubeconfig = path.join(home, 'kubeconfig');
const BIN = path.join(PACKAGE_DIR, 'bin', 'kube-sim.js');
const CRD = path.join(PACKAGE_DIR, 'crd', 'testdata', 'monitor-crd.yaml');
let child: ChildProcess | undefined;
let stderr = '';

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const proc = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, HOME: home }, timeout: 60_000 }, (error, stdout, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err });
    });
    if (args.includes('-f') && args.at(-1) === '-') proc.stdin?.end(MONITOR);
  });
}
async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  assert.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.err}`);
  return r.out;
}

const MONITOR = 'apiVersion: ganglion.dev/v1\nkind: Monitor\nmetadata: {name: nightly, namespace: default}\nspec: {schedule: "0 3 * * *", replicas: 2}\n';

/** Starts the kube-sim command on the shared home and resolves once it listens. */
function startChild(): Promise<string> {
  stderr = '';
  const proc = spawn(process.execPath, [BIN, '--scenario', 'home-lab', '--home', home, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  proc.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('listening on'));
      if (line) resolve(line);
    });
    proc.on('exit', (code) => reject(new Error(`kube-sim exited with ${code}: ${stderr}`)));
  });
}

function killHard(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

test.after(async () => { await killHard(); });

let rvBefore = 0;
let journal = '';

test('a fresh home seeds the scenario and keeps the store under <home>/kube-sim', async () => {
  const line = await startChild();
  assert.match(line, `the store is kept in ${path.join(home, 'kube-sim')}`);
  assert.equal((await ok('get', 'nodes', '-o', 'name')).trim().split('\n'), ['node/pi-1', 'node/pi-2', 'node/pi-3']);
  assert.ok(existsSync(path.join(home, 'kube-sim', 'snapshot.jsonl')));
});

test('objects written with kubectl are all there after kill -9 and a restart, rollout history included', async () => {
  await ok('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  await ok('set', 'image', 'deploy/placemyparents', '-n', 'apps', 'placemyparents=registry.local/placemyparents:2.0');
  await ok('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  await ok('create', 'configmap', 'settings', '-n', 'default', '--from-literal=mode=quiet');
  await ok('create', 'secret', 'generic', 'token', '-n', 'default', '--from-literal=key=s3cret');
  await ok('create', 'job', 'once', '-n', 'default', '--image=busybox');
  await ok('apply', '-f', CRD);
  await ok('wait', '--for', 'condition=established', 'crd/monitors.ganglion.dev', '--timeout=30s');
  await ok('apply', '-f', '-');
  rvBefore = Number(await ok('get', 'configmap', 'settings', '-n', 'default', '-o', 'jsonpath={.metadata.resourceVersion}'));
  journal = readdirSync(path.join(home, 'kube-sim')).filter((n) => n.startsWith('journal-')).map((n) => path.join(home, 'kube-sim', n))[0] ?? '';

  await killHard();
  // what kill -9 leaves when it lands in the middle of a write: half a line at the journal's end
  appendFileSync(journal, '{"rv":999999,"t":"P","r":"configmaps","o":{"apiVersion":"v1","kind":"Conf');
  const line = await startChild();
  assert.match(line, `the store was loaded from ${path.join(home, 'kube-sim')}`);

  assert.is(await ok('get', 'configmap', 'settings', '-n', 'default', '-o', 'jsonpath={.data.mode}'), 'quiet');
  assert.is(await ok('get', 'secret', 'token', '-n', 'default', '-o', 'jsonpath={.data.key}'), Buffer.from('s3cret').toString('base64'));
  assert.is(await ok('get', 'job', 'once', '-n', 'default', '-o', 'name'), 'job.batch/once\n');
  assert.is(await ok('get', 'crd', 'monitors.ganglion.dev', '-o', 'name'), 'customresourcedefinition.apiextensions.k8s.io/monitors.ganglion.dev\n');
  assert.is(await ok('get', 'mon', 'nightly', '-n', 'default', '-o', 'jsonpath={.spec.schedule}'), '0 3 * * *');
  assert.is(await ok('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'registry.local/placemyparents:2.0');
  const history = (await ok('rollout', 'history', 'deploy/placemyparents', '-n', 'apps')).trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0]);
  assert.equal(history, ['1', '2', '3']);
  // the restarted kubelet starts the Deployment's pods again
  await ok('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
});

test('resourceVersions keep increasing across the restart', async () => {
  await ok('label', 'configmap', 'settings', '-n', 'default', 'restarted=yes');
  const after = Number(await ok('get', 'configmap', 'settings', '-n', 'default', '-o', 'jsonpath={.metadata.resourceVersion}'));
  assert.ok(after > rvBefore, `${after} > ${rvBefore}`);
});

test('a torn journal line is dropped with a warning naming the journal', () => {
  assert.match(stderr, `dropped a torn record at line`);
  assert.match(stderr, journal);
});

test('a home without persist keeps nothing and seeds the scenario each time', async () => {
  const plain = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-plain-'));
  const sim = await startKubeSim({ scenario: 'empty', home: plain, controllers: false });
  await sim.stop();
  assert.is(sim.persisted, undefined);
  assert.not.ok(existsSync(path.join(plain, 'kube-sim')));
});

test.run();
