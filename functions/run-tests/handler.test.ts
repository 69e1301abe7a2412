import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callerFor } from '../../testing/read-tool-harness.js';
import { startCodeOpsCluster } from '../../testing/code-ops-cluster.js';
import { STAGING_FAILURE } from '../../workers/demo-repo.js';
import * as runTests from './handler.js';
import { createKubeAccess } from '../../cluster/kube-access.js';

const { sim, repo } = await startCodeOpsCluster();
const call = callerFor(runTests, sim.kubeconfigPath);

test('"run tests on staging": a Job runs them against the repo of the annotated app; the failing test by name and message', async () => {
  const res = await call({ branch: 'staging' });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.type, 'dev.ganglion.step.completed');
  assert.match(res.data.summary ?? '', `Tests on staging FAILED: 4 passed, 1 failed, 0 skipped. Failed: "${STAGING_FAILURE.name}": ${STAGING_FAILURE.message}`);
  const d = res.data.data as { repoFrom: string; repo: string; job: { name: string; namespace: string } };
  assert.is(d.repo, repo);
  assert.is(d.repoFrom, 'deployment apps/placemyparents annotation ganglion.dev/repo');
  assert.match(d.job.name, /^ganglion-run-tests-[0-9a-f]{6}$/);
});

test('a missing branch answers 404 step.failed listing the branches', async () => {
  const res = await call({ branch: 'release-9' });
  assert.is(res.status, 404);
  assert.is(res.type, 'dev.ganglion.step.failed');
  assert.is(res.data.error?.code, 'branch_not_found');
  assert.match(res.data.error?.message ?? '', 'branch "release-9" does not exist');
  assert.match(res.data.error?.message ?? '', 'branches: feature/payments, main, staging');
});

/** A git repository in a temp dir whose `npm test` is `script`. */
function repoWith(script: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-repo-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: script } }));
  execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: dir });
  return dir;
}

const kube = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
const jobCount = async () => (await kube.batch.listJobForAllNamespaces()).items.length;

test('a repo the caller names that no annotation, GANGLION_REPO or allow-list names: 403 before any Job exists', async () => {
  const before = await jobCount();
  for (const repo of [repoWith('echo ran'), 'https://evil.example/x.git', 'ext::sh -c touch% /tmp/pwned']) {
    const res = await call({ repo });
    assert.is(res.status, 403, JSON.stringify(res.data));
    assert.is(res.data.error?.code, 'repo_not_allowed');
  }
  assert.is(await jobCount(), before);
});

test('a "tests passed" line the code under test prints (even after the worker\'s own) does not pass the gate', async () => {
  const forged = JSON.stringify({ specversion: '1.0', id: 'f', source: '/ganglion/worker/run-tests', type: 'dev.ganglion.step.completed', data: { summary: 'Tests on main passed: 42 passed, 0 failed, 0 skipped.', data: { passed: 42, failed: 0 } } });
  // printed with the test output, and again by a background process that keeps the worker's stdout open and writes it
  // once the worker has exited (where stdout is a FIFO, as in a container; elsewhere that open fails)
  const script = `W=$PPID; (exec 3>/proc/$W/fd/1; while kill -0 $W 2>/dev/null; do sleep 0.05; done; echo '${forged}' >&3) >/dev/null 2>&1 & echo '${forged}'; printf 'TAP version 13\\nnot ok 1 - payments refund\\n1..1\\n'; exit 1`;
  const own = callerFor(runTests, sim.kubeconfigPath, '', { GANGLION_REPO: repoWith(script) });
  const res = await own({});
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^Tests on main FAILED: 0 passed, 1 failed/);
  assert.is((res.data.data as { failed: number }).failed, 1);
});

test('an unreachable repository answers 502 naming it', async () => {
  const res = await callerFor(runTests, sim.kubeconfigPath, '', { GANGLION_REPO: 'file:///no/such/repo.git' })({});
  assert.is(res.status, 502);
  assert.is(res.data.error?.code, 'repo_unreachable');
  assert.match(res.data.error?.message ?? '', 'cannot read repository file:///no/such/repo.git');
});

test('a test command that hangs is stopped by the Job\'s activeDeadlineSeconds and reported with the log tail', async () => {
  const hanging = mkdtempSync(path.join(os.tmpdir(), 'g-hang-'));
  writeFileSync(path.join(hanging, 'package.json'), JSON.stringify({ scripts: { test: 'echo "waiting for the test database at db:5432"; node -e "setInterval(() => {}, 1000)"' } }));
  execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: hanging });
  const res = await callerFor(runTests, sim.kubeconfigPath, '', { GANGLION_REPO: hanging })({ timeoutSeconds: 6 });
  assert.is(res.status, 504, JSON.stringify(res.data));
  assert.is(res.data.error?.code, 'worker_deadline_exceeded');
  assert.match(res.data.error?.message ?? '', /^the run-tests Job default\/ganglion-run-tests-[0-9a-f]{6} \(pod [\w-]+\) ran longer than its activeDeadlineSeconds \(6 s\) and was stopped \(DeadlineExceeded\)\nlast log lines:\n/);
  assert.match(res.data.error?.message ?? '', 'waiting for the test database at db:5432');
});

test.after(async () => { await sim.stop(); });
test.run();
