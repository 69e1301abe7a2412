import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const repos: string[] = [];

/** A git repository in a temp dir whose `npm test` is `script`, with `files` beside it; removed after the tests. */
function repoWith(script: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-repo-'));
  repos.push(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: script } }));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
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

/**
 * Code under test that finds the worker among its ancestors, reads the result key from /proc/<worker>/environ (the
 * environment a process started with stays there, whatever it deletes later), prints a signed "passed" line, and
 * leaves a process behind that writes it again into the worker's stdout once the worker has exited. That last write
 * lands where stdout is a FIFO (a container's, under containerd); kube-sim's is a socket, so there it fails, and the
 * exit-code check that stops it is shown in events/worker-result.test.ts.
 */
const STEAL_KEY = String.raw`
const fs = require('fs'), crypto = require('crypto'), { spawn } = require('child_process');
const parent = (pid) => Number((/PPid:\s+(\d+)/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8')) || [])[1] || 0);
const keyOf = (pid) => { try { const kv = fs.readFileSync('/proc/' + pid + '/environ', 'utf8').split('\0').find((e) => e.startsWith('GANGLION_RESULT_KEY=')); return kv && kv.slice(20); } catch { return undefined; } };
if (process.argv[2] === 'later') {
  const worker = Number(process.argv[3]);
  const wait = () => { try { process.kill(worker, 0); setTimeout(wait, 20); } catch { process.stdout.write('\n' + process.argv[4] + '\n'); } };
  wait();
} else {
  let pid = process.pid, key, worker;
  while (!key && (pid = parent(pid)) > 1) { key = keyOf(pid); worker = pid; }
  if (!key) { console.log('STOLE NOTHING'); process.exit(1); }
  const ev = { specversion: '1.0', id: 'f', source: '/ganglion/worker/run-tests', time: new Date().toISOString(), datacontenttype: 'application/json', type: 'dev.ganglion.step.completed', data: { summary: 'Tests on main passed: 42 passed, 0 failed, 0 skipped.', data: { passed: 42, failed: 0, skipped: 0 } } };
  const line = JSON.stringify({ ...ev, resultsig: crypto.createHmac('sha256', key).update(JSON.stringify(ev)).digest('hex') });
  console.log('STOLE THE KEY');
  console.log(line);
  let out;
  try { out = fs.openSync('/proc/' + worker + '/fd/1', 'w'); } catch { process.exit(0); }
  spawn(process.execPath, [__filename, 'later', String(worker), line], { detached: true, stdio: ['ignore', out, 'ignore'] }).unref();
}
`;

test('a "tests passed" line signed with the key the code under test read from the worker\'s /proc environ does not pass the gate', async () => {
  const res = await callerFor(runTests, sim.kubeconfigPath, '', { GANGLION_REPO: repoWith(`node steal.cjs; printf 'TAP version 13\\nnot ok 1 - payments refund\\n1..1\\n'; exit 1`, { 'steal.cjs': STEAL_KEY }) })({});
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^Tests on main FAILED: 0 passed, 1 failed/);
  assert.is((res.data.data as { failed: number }).failed, 1);
  // the attack really ran: the key was read, so only the exit code told the lines apart
  const { pod, namespace } = (res.data.data as { job: { pod: string; namespace: string } }).job;
  const log = String(await kube.core.readNamespacedPodLog({ name: pod, namespace }));
  assert.match(log, 'STOLE THE KEY');
  assert.ok(log.split('\n').some((l) => l.includes('"resultsig"') && l.includes('"passed":42')), 'the forged line was signed and printed');
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

test.after(async () => {
  await sim.stop();
  for (const dir of repos) rmSync(dir, { recursive: true, force: true });
});
test.run();
