import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeApiServer, type KubeApiServer } from '../server/http-server.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { FAKE_WORKER, testCluster } from './testing/test-cluster.js';

// the real kubectl against the API server plus these controllers; Jobs run the fake worker fixture
const home = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-kubectl-'));
// a 1.8 s progress deadline makes a broken rollout fail quickly; the demo apps stay simulated, so a loaded machine's
// slow process starts cannot miss it (their real processes are tested in network/demo-apps.test.ts)
const { store, controllers } = await testCluster('home-lab', { workerEntry: FAKE_WORKER, timing: { progressSecondMs: 3 }, demoApps: false });
let server: KubeApiServer;
let kubeconfig = '';

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, HOME: home }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}
const lines = (out: string) => out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));

test.before(async () => {
  server = await startKubeApiServer({ store, logs: controllers.logs, token: 't0ken', port: 0, gracefulPodDeletion: true });
  kubeconfig = writeKubeconfig(home, server.url, 't0ken');
});
test.after(async () => {
  await controllers.stop();
  await server.close();
});

test('kubectl rollout status waits for placemyparents, set image rolls 2.0 out, rollout history lists 1.3, 1.4 and 2.0', async () => {
  let r = await kubectl('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'deployment "placemyparents" successfully rolled out');
  r = await kubectl('set', 'image', 'deploy/placemyparents', '-n', 'apps', 'placemyparents=registry.local/placemyparents:2.0');
  assert.is(r.code, 0, r.err);
  r = await kubectl('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'successfully rolled out');
  r = await kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.status.readyReplicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}');
  assert.is(r.out, 'registry.local/placemyparents:2.0 3 3');
  r = await kubectl('rollout', 'history', 'deploy/placemyparents', '-n', 'apps');
  assert.is(r.code, 0, r.err);
  assert.equal(lines(r.out).slice(1).map((l) => l[0]), ['REVISION', '1', '2', '3']);
  r = await kubectl('rollout', 'history', 'deploy/placemyparents', '-n', 'apps', '--revision=1', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
  assert.is(r.out, 'registry.local/placemyparents:1.3', 'revision 1 is the 1.3 the scenario starts with in its history');
});

test('kubectl rollout undo goes back to 1.4 as revision 4', async () => {
  let r = await kubectl('rollout', 'undo', 'deploy/placemyparents', '-n', 'apps');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'rolled back');
  r = await kubectl('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  assert.is(r.code, 0, r.err);
  r = await kubectl('get', 'pods', '-n', 'apps', '-l', 'app=placemyparents', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}');
  assert.equal(r.out.trim().split('\n'), Array(3).fill('registry.local/placemyparents:1.4'));
  r = await kubectl('rollout', 'history', 'deploy/placemyparents', '-n', 'apps');
  assert.equal(lines(r.out).slice(1).map((l) => l[0]), ['REVISION', '1', '3', '4']);
});

test('a tag the registry lacks makes kubectl rollout status fail with the progress deadline', async () => {
  let r = await kubectl('set', 'image', 'deploy/placemyparents', '-n', 'apps', 'placemyparents=registry.local/placemyparents:2.1-broken');
  assert.is(r.code, 0, r.err);
  r = await kubectl('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  assert.is.not(r.code, 0);
  assert.match(r.err, 'deployment "placemyparents" exceeded its progress deadline');
  r = await kubectl('get', 'pods', '-n', 'apps', '-l', 'app=placemyparents');
  assert.ok(lines(r.out).some((l) => l[2] === 'ErrImagePull' || l[2] === 'ImagePullBackOff'), r.out);
  assert.is(lines(r.out).filter((l) => l[1] === '1/1' && l[2] === 'Running').length, 3);
  r = await kubectl('rollout', 'undo', 'deploy/placemyparents', '-n', 'apps');
  assert.is(r.code, 0, r.err);
  r = await kubectl('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  assert.is(r.code, 0, r.err);
});

test('kubectl scale the web tier to 5 then rollout status reports all 5 ready', async () => {
  let r = await kubectl('scale', 'deploy', '-n', 'web', '-l', 'tier=web', '--replicas=5');
  assert.is(r.code, 0, r.err);
  for (const name of ['frontend', 'web-proxy', 'docs-site']) {
    r = await kubectl('rollout', 'status', `deploy/${name}`, '-n', 'web', '--timeout=60s');
    assert.is(r.code, 0, r.err);
  }
  r = await kubectl('get', 'deploy', '-n', 'web', '-l', 'tier=web');
  assert.equal(lines(r.out).slice(1).map((l) => l.slice(0, 2)), [['docs-site', '5/5'], ['frontend', '5/5'], ['web-proxy', '5/5']]);
});

test('a worker Job applied with kubectl completes; kubectl wait, get jobs,pods -l and logs job/ show it', async () => {
  const manifest = path.join(home, 'job.yaml');
  writeFileSync(manifest, [
    'apiVersion: batch/v1', 'kind: Job', 'metadata: {name: review-abc, namespace: default, labels: {ganglion.dev/role: code-review}}',
    'spec:', '  backoffLimit: 0', '  ttlSecondsAfterFinished: 300', '  template:', '    metadata: {labels: {ganglion.dev/role: code-review}}',
    '    spec:', '      restartPolicy: Never', '      containers:',
    '        - {name: worker, image: "ghcr.io/ganglion/ganglion-worker:0.1.0", args: [succeed, review], env: [{name: TASK, value: review}]}', '',
  ].join('\n'));
  let r = await kubectl('apply', '-f', manifest);
  assert.is(r.code, 0, r.err);
  r = await kubectl('wait', '--for=condition=complete', 'job/review-abc', '--timeout=60s');
  assert.is(r.code, 0, r.err);
  r = await kubectl('get', 'jobs,pods', '-l', 'ganglion.dev/role=code-review');
  assert.match(r.out, /job\.batch\/review-abc\s+(Complete\s+)?1\/1/);
  assert.match(r.out, /pod\/review-abc-\w{5}\s+0\/1\s+Completed/);
  r = await kubectl('logs', 'job/review-abc');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'worker started with review');
  assert.match(r.out, 'TASK=review');
});

test.run();
