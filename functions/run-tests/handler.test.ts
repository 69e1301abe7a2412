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

test('an unreachable repository answers 502 naming it', async () => {
  const res = await call({ repo: 'file:///no/such/repo.git' });
  assert.is(res.status, 502);
  assert.is(res.data.error?.code, 'repo_unreachable');
  assert.match(res.data.error?.message ?? '', 'cannot read repository file:///no/such/repo.git');
});

test('a test command that hangs is stopped by the Job\'s activeDeadlineSeconds and reported with the log tail', async () => {
  const hanging = mkdtempSync(path.join(os.tmpdir(), 'g-hang-'));
  writeFileSync(path.join(hanging, 'package.json'), JSON.stringify({ scripts: { test: 'echo "waiting for the test database at db:5432"; node -e "setInterval(() => {}, 1000)"' } }));
  execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: hanging });
  const res = await call({ repo: hanging, timeoutSeconds: 6 });
  assert.is(res.status, 504, JSON.stringify(res.data));
  assert.is(res.data.error?.code, 'worker_deadline_exceeded');
  assert.match(res.data.error?.message ?? '', /^the run-tests Job default\/ganglion-run-tests-[0-9a-f]{6} \(pod [\w-]+\) ran longer than its activeDeadlineSeconds \(6 s\) and was stopped \(DeadlineExceeded\)\nlast log lines:\n/);
  assert.match(res.data.error?.message ?? '', 'waiting for the test database at db:5432');
});

test.after(async () => { await sim.stop(); });
test.run();
