/**
 * The five code-operation commands of the README's "What you can say" table, typed into the ganglion CLI against kube-sim (home-lab) + the
 * gateway with every stack.yml function; the worker Jobs run for real on the demo repository made with git.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway } from '../../gateway/index.js';
import { startKubeSim } from '@ganglion/kube-sim';
import { main } from '../../cli/main.js';
import { createDemoRepo, demoRepoPath, STAGING_FAILURE } from '../../workers/demo-repo.js';
import { repoRoot, FAST_TIMING } from '../../testing/scenario-stack.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
const repo = createDemoRepo(demoRepoPath(home));
const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: FAST_TIMING });
// Ganglion's definitions, as `kubectl apply -f k8s/` would: runs, approvals, policies and audit records live there
await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
await sim.settle(2_000);
const gateway = await startGateway({
  stackFile: path.join(repoRoot, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'),
  env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error', GANGLION_REPO: repo, GANGLION_WORKER_TTL_S: '30' },
});

async function ganglion(...argv: string[]): Promise<{ code: number; out: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (out += d));
  const code = await main(['--gateway', gateway.url, ...argv], { stdin, stdout, stderr, env: { GANGLION_HOME: home }, interactive: false, stdoutIsTTY: false, pollMs: 50 });
  return { code, out };
}

test('"Review the latest commit": a Job reviews the newest commit of main and answers with a verdict', async () => {
  const r = await ganglion('Review the latest commit');
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /Review: approve — commit [0-9a-f]{7} "Match parents to the cheapest home with a free bed"/);
});

test('"Run tests on the staging branch": the failing test by name and message', async () => {
  const r = await ganglion('Run tests on the staging branch');
  assert.match(r.out, `Tests on staging FAILED: 4 passed, 1 failed, 0 skipped. Failed: "${STAGING_FAILURE.name}": ${STAGING_FAILURE.message}`);
});

test('"Check code coverage": totals and the least-covered files', async () => {
  const r = await ganglion('Check code coverage');
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /Coverage of main: lines [\d.]+%, branches [\d.]+%, functions [\d.]+%.*Least covered: src\/pricing\.js/);
});

test('"Deploy my app and verify it works" --yes: a rollout of placemyparents, then a verify Job: all 3 pods healthy, the smoke test calls the app for real and passes', async () => {
  const r = await ganglion('--yes', 'Deploy my app and verify it works');
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /✓ (restart|deploy) — [^\n]*3\/3 pods ready\n[\s\S]*✓ verify — placemyparents verified\. All 3 pods healthy/);
  assert.match(r.out, /Smoke test passed: GET http:\/\/placemyparents\.apps\.svc\.cluster\.local\/api\/listings → HTTP 200 in \d+ ms/);
});

test('"Review the code and deploy if good" --yes: review approves → deploy → verify', async () => {
  const r = await ganglion('--yes', 'Review the code and deploy if good');
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /✓ code-review — Review: approve[\s\S]*✓ (restart|deploy) — [\s\S]*✓ verify — placemyparents verified/);
  assert.match(r.out, '✓ done: 3 steps completed');
});

test.after(async () => {
  await gateway.stop();
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
});
test.run();
