import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from './index.js';

// fast enough for a test, slow enough that kubectl sees each rollout step
const FAST_TIMING = { tickMs: 5, pullMs: 20, podStartMs: 20, readyMs: 30, terminateMs: 20, progressSecondMs: 50 };
const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
let sim: KubeSim;

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { env: { ...process.env, HOME: home }, timeout: 45_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const imageOf = (name: string) => ((sim.store.mustGet('deployments', 'apps', name).spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image);

test.before(async () => {
  sim = await startKubeSim({ scenario: 'home-lab', home, timing: FAST_TIMING });
});
test.after(async () => {
  await sim.stop();
});

test('startKubeSim writes <home>/kubeconfig with context ganglion-sim pointing at its URL', () => {
  assert.is(sim.kubeconfigPath, path.join(home, 'kubeconfig'));
  const text = readFileSync(sim.kubeconfigPath, 'utf8');
  assert.match(text, `server: ${sim.url}`);
  assert.match(text, 'current-context: ganglion-sim');
  assert.match(text, 'insecure-skip-tls-verify: true');
  assert.is(sim.context, 'ganglion-sim');
});

test('kubectl get pods -A shows the home lab\'s faults once the kubelet has run', async () => {
  await until('api-server crash-looping', () => sim.store.list('pods', { namespace: 'apps', labelSelector: 'app=api-server' }).items
    .some((p) => JSON.stringify(p.status).includes('CrashLoopBackOff')));
  const { code, out, err } = await kubectl('get', 'pods', '-A');
  assert.is(code, 0, err);
  const status = (prefix: string) => out.split('\n').find((l) => l.split(/\s+/)[1]?.startsWith(prefix))?.split(/\s+/)[3];
  assert.is(status('api-server-'), 'CrashLoopBackOff');
  assert.is(status('notifier-'), 'ImagePullBackOff');
  assert.is(status('placemyparents-'), 'Running');
});

test('kubectl set image, rollout status, rollout history and rollout undo work against the controllers', async () => {
  const set = await kubectl('set', 'image', 'deployment/placemyparents', '-n', 'apps', 'placemyparents=registry.local/placemyparents:2.0');
  assert.is(set.code, 0, set.err);
  const status = await kubectl('rollout', 'status', 'deployment/placemyparents', '-n', 'apps', '--timeout=40s');
  assert.is(status.code, 0, status.err);
  assert.match(status.out, /deployment "placemyparents" successfully rolled out/);
  const history = await kubectl('rollout', 'history', 'deployment/placemyparents', '-n', 'apps');
  assert.match(history.out, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  const undo = await kubectl('rollout', 'undo', 'deployment/placemyparents', '-n', 'apps');
  assert.is(undo.code, 0, undo.err);
  assert.match(undo.out, /deployment.apps\/placemyparents rolled back/);
  assert.is(imageOf('placemyparents'), 'registry.local/placemyparents:1.4');
  const again = await kubectl('rollout', 'status', 'deployment/placemyparents', '-n', 'apps', '--timeout=40s');
  assert.match(again.out, /successfully rolled out/);
});

test('kubectl scale changes the replicas and the pods follow', async () => {
  const { code, out, err } = await kubectl('scale', 'deployment/placemyparents', '-n', 'apps', '--replicas=4');
  assert.is(code, 0, err);
  assert.match(out, /deployment.apps\/placemyparents scaled/);
  const status = await kubectl('rollout', 'status', 'deployment/placemyparents', '-n', 'apps', '--timeout=40s');
  assert.is(status.code, 0, status.err);
  const deploy = await kubectl('get', 'deploy', 'placemyparents', '-n', 'apps');
  assert.match(deploy.out, /placemyparents\s+4\/4\s+4\s+4/);
});

test('kubectl delete pod waits for the kubelet to finish it and the ReplicaSet replaces it', async () => {
  const name = sim.store.list('pods', { namespace: 'web', labelSelector: 'app=frontend' }).items[0].metadata.name;
  const { code, out, err } = await kubectl('delete', 'pod', name, '-n', 'web');
  assert.is(code, 0, err);
  assert.match(out, `pod "${name}" deleted`);
  assert.is(sim.store.get('pods', 'web', name), undefined);
  await until('a replacement frontend pod', () => sim.store.list('pods', { namespace: 'web', labelSelector: 'app=frontend' }).items.length === 2);
});

test('kubectl drain evicts a node\'s pods and they come back on the other nodes', async () => {
  const drained = await kubectl('drain', 'pi-3', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=40s');
  assert.is(drained.code, 0, drained.err);
  assert.match(drained.out, 'node/pi-3 drained');
  const nodes = await kubectl('get', 'nodes');
  assert.match(nodes.out, /pi-3\s+Ready,SchedulingDisabled/);
  const onPi3 = sim.store.list('pods', { fieldSelector: 'spec.nodeName=pi-3' }).items;
  assert.equal(onPi3.map((p) => p.metadata.name), []);
  await until('placemyparents back to 4 ready', () => ((sim.store.mustGet('deployments', 'apps', 'placemyparents').status as { readyReplicas?: number }).readyReplicas === 4));
  assert.is((await kubectl('uncordon', 'pi-3')).code, 0);
});

test.run();
