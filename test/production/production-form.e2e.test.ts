/**
 * Issue 14's "Done when", end to end in isolated mode: every function in its own process with its own HOME and
 * secrets, sharing only the gateway and the cluster. An approved deploy applies; the same approval replayed against
 * a second planner process is refused; "Alert me…" makes a Monitor and a CronJob the real kubectl lists, and the
 * CronJob's firing sends exactly one Slack message; the audit names who approved; and after kill -9 of the whole
 * embedded stack, a restart on the same GANGLION_HOME still has the runs, monitors, CronJobs and audit records.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startKubeSim } from '@ganglion/kube-sim';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway } from '../../gateway/index.js';
import { runCli } from '../../cli/testing/run-cli.js';
import { startSlackReceiver } from '../../monitors/testing/slack-receiver.js';
import { imageOf, readDeployment, waitFor } from '../../testing/cluster-checks.js';
import { repoRoot } from '../../testing/scenario-stack.js';
import { jumpClock } from '../../testing/jump-clock.js';

/** Fast, and api-server's crash loop climbs past 3 restarts within seconds (as in functions/automate/handler.test.ts). */
const TIMING = { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, secondMs: 25, crashBackoffMs: 120, maxBackoffMs: 250, terminateMs: 10, progressSecondMs: 50 };

const run = promisify(execFile);
const WORKER_ENTRY = path.join(repoRoot, 'dist', 'workers', 'main.js');

test('isolated mode: approve applies once, a replay on a second planner gets 409, the monitor CronJob alerts once, the audit names the approver', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-iso-'));
  const home2 = mkdtempSync(path.join(os.tmpdir(), 'g-iso2-'));
  const clock = jumpClock();
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: TIMING, workerEntry: WORKER_ENTRY, clock });
  const slack = await startSlackReceiver();
  const gateways: Array<{ stop(): Promise<void> }> = [];
  try {
    await sim.settle(8_000);
    const kube = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
    await installDefinitions(kube, 'ganglion');
    const env = { KUBECONFIG: sim.kubeconfigPath, LOG_LEVEL: 'error', SLACK_WEBHOOK_URL: slack.url, GANGLION_NOTIFY_RETRY_MS: '0' };
    const gw = await startGateway({ mode: 'isolated', home, port: 0, env, stackFile: path.join(repoRoot, 'stack.yml'), distRoot: path.join(repoRoot, 'dist') });
    gateways.push(gw);
    const pids = gw.pids();
    assert.ok(new Set(Object.values(pids)).size === Object.keys(pids).length && !Object.values(pids).includes(process.pid), 'each function is its own process');
    // the local user's CLI: GANGLION_HOME is the stack's, where it finds the admin token with no extra step
    const cli = (url: string, argv: string[], answers?: string) => runCli(['--gateway', url, ...argv], { env: { GANGLION_HOME: home }, stdoutIsTTY: false, pollMs: 50 }, answers);
    const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { timeout: 30_000 })).stdout;

    // 1. Approved in the CLI, the deploy applies.
    const asked = await cli(gw.url, ['Deploy placemyparents version 2.0']);
    assert.is(asked.code, 3, asked.out + asked.err);
    const [, runId, token] = /ganglion approve (\S+) (\S+)/.exec(asked.out) ?? [];
    assert.ok(runId && token, asked.out);
    const approved = await cli(gw.url, ['approve', runId!, token!]);
    assert.is(approved.code, 0, approved.out + approved.err);
    const rolled = await waitFor(() => readDeployment(kube, 'apps', 'placemyparents'), (d) => imageOf(d) === 'registry.local/placemyparents:2.0');
    assert.ok(rolled.ok, 'placemyparents runs 2.0');
    assert.is(await kubectl('-n', 'apps', 'get', 'deployment', 'placemyparents', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'registry.local/placemyparents:2.0');
    const generation = rolled.value.metadata?.generation;

    // 2. The same approval against a second planner process (another gateway, same cluster and approval key): 409, nothing changes.
    const gw2 = await startGateway({
      mode: 'isolated', home: home2, port: 0, env: { ...env, GANGLION_APPROVAL_KEY: readFileSync(path.join(home, 'secrets', 'ganglion-approval-key'), 'utf8').trim() },
      stackFile: path.join(repoRoot, 'stack.yml'), distRoot: path.join(repoRoot, 'dist'),
    });
    gateways.push(gw2);
    assert.is.not(gw2.pids().planner, pids.planner);
    const replay = await fetch(`${gw2.url}/function/planner/runs/${runId}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gw2.adminToken}` }, body: JSON.stringify({ token }) });
    assert.is(replay.status, 409, await replay.text());
    const after = await readDeployment(kube, 'apps', 'placemyparents');
    assert.is(after.metadata?.generation, generation, 'the replay changed nothing');

    // 3. "Alert me…" makes a Monitor object and a CronJob that kubectl lists.
    const alert = await cli(gw.url, ['--yes', 'Alert me if any pod restarts more than 3 times']);
    assert.is(alert.code, 0, alert.out + alert.err);
    assert.match(await kubectl('get', 'monitors', '-n', 'ganglion'), /restart/);
    const cronjobs = await kubectl('get', 'cronjobs', '-A');
    assert.match(cronjobs, /ganglion-monitor-\S+\s+\*\/5 \* \* \* \*/, cronjobs);

    // 4. The CronJob fires: its Job runs the worker's invoke through the gateway; api-server, past 3 restarts, alerts once.
    const cron = /(ganglion-monitor-\S+)/.exec(cronjobs)![1]!;
    type Job = { metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } };
    const restarts = async () => Math.max(0, ...(await kube.core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=api-server' })).items.map((p) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0)));
    assert.ok((await waitFor(restarts, (n) => n > 3, 30_000)).ok, 'api-server crossed 3 restarts');
    const nextFiring = async () => {
      const mark = Math.floor(clock.now() / 300_000) * 300_000 + 300_000;
      clock.advanceTo(mark + 1_000);
      const done = (j: Job) => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
      const found = await waitFor(async () => (sim.store.list('jobs', {}).items as unknown as Job[]).find((j) => j.metadata.name === `${cron}-${mark / 60_000}`), (j) => j !== undefined && done(j), 60_000);
      assert.ok(found.ok, `the CronJob's Job ${cron}-${mark / 60_000} finished`);
      assert.ok((found.value?.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True'), `the invoke worker succeeded: ${JSON.stringify(found.value?.status)}`);
    };
    const apiPosts = () => slack.posts.filter((p) => (p.payload.text ?? '').includes('deployment/api-server'));
    await nextFiring();
    assert.is(apiPosts().length, 1, slack.posts.map((p) => p.payload.text).join('\n'));
    await nextFiring();
    assert.is(apiPosts().length, 1, 'the next firing re-alerts nothing already open');
    const alerts = slack.posts.map((p) => p.payload.text ?? '').filter((t) => t.includes('Alert: '));
    assert.equal(alerts.length, new Set(alerts.map((t) => t.replace(/ — .*/s, ''))).size, 'every incident alerted once');
    assert.equal(slack.refused, []);

    // 5. ganglion audit lists the apply and who approved it.
    const audit = await cli(gw.url, ['audit']);
    assert.is(audit.code, 0, audit.err);
    assert.match(audit.out, new RegExp(`deploy deployment/placemyparents.*2\\.0.*applied.*run ${runId} by admin, approved by admin`), audit.out);
    assert.match(await kubectl('get', 'auditrecords', '-n', 'ganglion'), /deploy/);
  } finally {
    for (const g of gateways.reverse()) await g.stop().catch(() => undefined);
    await slack.close();
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(home2, { recursive: true, force: true });
  }
});

/** `npm start` in isolated mode on `home`; resolves with its URL once it prints its line. */
function startEmbedded(home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'gateway', 'main.js')], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: '', GANGLION_HOME: home, GANGLION_PORT: '0', GANGLION_GATEWAY_MODE: 'isolated', LOG_LEVEL: 'error' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the embedded stack did not start in 90 s:\n${out}\n${err}`)), 90_000);
    child.stderr?.on('data', (d: Buffer) => (err += d));
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /ganglion gateway on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] as string }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the embedded stack exited (${code}):\n${out}\n${err}`)); });
  });
}

/** kill -9 of the stack's whole process group: the gateway, kube-sim in it, every function process. */
function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { resolve(); }
  });
}

test('after kill -9 of the whole embedded stack, a restart on the same GANGLION_HOME still has the runs, monitors, CronJobs and audit records', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-kill-'));
  let stack = await startEmbedded(home);
  try {
    const cli = (argv: string[]) => runCli(['--gateway', stack.url, ...argv], { env: { GANGLION_HOME: home }, stdoutIsTTY: false, pollMs: 50 });
    const deployed = await cli(['--yes', '--json', 'Deploy placemyparents version 2.0']);
    assert.is(deployed.code, 0, deployed.out + deployed.err);
    const runId = (JSON.parse(deployed.out) as { runId: string }).runId;
    const alert = await cli(['--yes', 'Alert me if any pod restarts more than 3 times']);
    assert.is(alert.code, 0, alert.out + alert.err);
    const kubeconfig = path.join(home, 'kubeconfig');
    const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 })).stdout;
    const names = async () => ({
      runs: await kubectl('get', 'runs', '-n', 'ganglion', '-o', 'name'),
      monitors: await kubectl('get', 'monitors', '-n', 'ganglion', '-o', 'name'),
      cronjobs: await kubectl('get', 'cronjobs', '-A', '-o', 'name'),
      audit: await kubectl('get', 'auditrecords', '-n', 'ganglion', '-o', 'name'),
    });
    const before = await names();
    assert.match(before.runs, runId);
    for (const [kind, list] of Object.entries(before)) assert.ok(list.trim(), `${kind} exist before the kill`);

    await killHard(stack.child);
    stack = await startEmbedded(home);
    const restarted = await names();
    assert.equal(restarted, before, 'the same objects after kill -9 and a restart');
    const runs = await runCli(['--gateway', stack.url, 'runs'], { env: { GANGLION_HOME: home }, stdoutIsTTY: false, pollMs: 50 });
    assert.match(runs.out, runId.slice(0, 8));
    const audit = await runCli(['--gateway', stack.url, 'audit'], { env: { GANGLION_HOME: home }, stdoutIsTTY: false, pollMs: 50 });
    assert.match(audit.out, /placemyparents/);
  } finally {
    await killHard(stack.child);
    rmSync(home, { recursive: true, force: true });
  }
});

test.run();
