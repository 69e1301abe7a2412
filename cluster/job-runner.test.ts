import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCodeOpsCluster } from '../testing/code-ops-cluster.js';
import { createKubeAccess } from './kube-access.js';
import { jobName, runJob, runWorkerJob, workerJobManifest, labelValue } from './job-runner.js';
import { STAGING_FAILURE } from '../workers/demo-repo.js';

const run = promisify(execFile);
const { sim, home, repo } = await startCodeOpsCluster();
const clients = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;

// a repository whose test command never ends
const hanging = path.join(home, 'repos', 'hanging');
execFileSync('mkdir', ['-p', hanging]);
writeFileSync(path.join(hanging, 'package.json'), JSON.stringify({ scripts: { test: 'echo "connecting to the test database"; node -e "setInterval(() => {}, 1000)"' } }));
execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: hanging });

const spec = { namespace: 'default', image: 'ghcr.io/ganglion/ganglion-worker:0.1.0', deadlineSeconds: 120, ttlSeconds: 60 };

test('the Job manifest: role/run/step labels, deadline, TTL, no retries, Pi-sized resources, the worker service account', () => {
  const job = workerJobManifest({ ...spec, role: 'run-tests', args: ['--repo', '/r'], runId: 'run_2026-11-25:abc', stepId: 's1' }, 'ganglion-run-tests-abc123');
  assert.equal(job.metadata?.labels?.['ganglion.dev/run'], 'run_2026-11-25-abc');
  assert.equal([job.spec?.backoffLimit, job.spec?.activeDeadlineSeconds, job.spec?.ttlSecondsAfterFinished], [0, 120, 60]);
  const pod = job.spec?.template.spec;
  assert.equal([pod?.restartPolicy, pod?.serviceAccountName, pod?.automountServiceAccountToken], ['Never', 'ganglion-worker', false]);
  assert.equal(pod?.containers[0]?.args, ['run-tests', '--repo', '/r']);
  assert.equal(pod?.containers[0]?.resources?.limits, { cpu: '1', memory: '1Gi' });
  // read-only root filesystem: /tmp (HOME, TMPDIR, npm's cache in the worker image) is the only writable place
  assert.is(pod?.containers[0]?.securityContext?.readOnlyRootFilesystem, true);
  assert.equal(pod?.containers[0]?.volumeMounts, [{ name: 'scratch', mountPath: '/tmp' }]);
  assert.equal(pod?.volumes, [{ name: 'scratch', emptyDir: { sizeLimit: '2Gi' } }]);
  assert.is(labelValue('-'.repeat(70)), 'none');
});

test('a run-tests Job on staging: Failed with exit 3 (its tests failed), and the result line carries the failing test by name and message', async () => {
  const out = await runWorkerJob(clients, { ...spec, role: 'run-tests', args: ['--repo', repo, '--branch', 'staging'], runId: 'r1', stepId: 's1' }, { pollMs: 50 });
  assert.equal([out.status, out.reason, out.exitCode], ['failed', 'BackoffLimitExceeded', 3]);
  assert.is(out.result?.type, 'dev.ganglion.step.completed');
  const data = out.result?.type === 'dev.ganglion.step.completed' ? (out.result.data.data as { failures: { name: string; message: string }[] }) : undefined;
  assert.is(data?.failures[0]?.name, STAGING_FAILURE.name);
  assert.match(out.logTail, '# fail 1');
  assert.not.match(out.logTail, 'dev.ganglion.step');
});

test('runJob runs any Job: it reads the log of that Job\'s own container and, asked to, deletes the Job once done', async () => {
  const name = jobName('probe');
  const manifest = workerJobManifest({ ...spec, role: 'run-tests', args: ['--repo', repo, '--branch', 'main'] }, name);
  const container = manifest.spec!.template.spec!.containers[0]!;
  container.name = 'probe';
  const out = await runJob(clients, manifest, { pollMs: 50, deleteWhenDone: true });
  assert.equal([out.job, out.status, out.reason, out.exitCode], [name, 'completed', 'CompletionsReached', 0]);
  assert.match(out.log, '"dev.ganglion.step.completed"');
  assert.not.match(await kubectl('get', 'jobs', '-o', 'name'), name);
});

test('while a Job runs kubectl shows it by role label; a hanging test is stopped by activeDeadlineSeconds, reported with its log tail, then removed by the TTL', async () => {
  const pending = runWorkerJob(clients, { ...spec, deadlineSeconds: 6, ttlSeconds: 1, role: 'run-tests', args: ['--repo', hanging] }, { pollMs: 50, name: 'ganglion-run-tests-hang01' });
  let shown = '';
  for (let i = 0; i < 200 && !/job\.batch\/ganglion-run-tests-hang01[\s\S]*pod\/ganglion-run-tests-hang01-/.test(shown); i++) {
    shown = await kubectl('get', 'jobs,pods', '-l', 'ganglion.dev/role=run-tests', '-o', 'name');
  }
  assert.match(shown, 'job.batch/ganglion-run-tests-hang01');
  assert.match(shown, /pod\/ganglion-run-tests-hang01-\w{5}/);
  const out = await pending;
  assert.equal([out.status, out.reason], ['failed', 'DeadlineExceeded']);
  assert.match(out.logTail, 'connecting to the test database');
  // ttlSecondsAfterFinished=1: the Job and its pod go away (cascading), as kubectl sees it
  let left = 'hang01';
  for (let i = 0; i < 300 && left.includes('hang01'); i++) left = await kubectl('get', 'jobs,pods', '-l', 'ganglion.dev/role=run-tests', '-o', 'name');
  assert.not.match(left, 'hang01');
});

test.after(async () => { await sim.stop(); });
test.run();
