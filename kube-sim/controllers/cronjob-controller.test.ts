import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim } from '../index.js';
import type { KubeObject } from '../store.js';
import { TEST_TIMING } from './timing.js';
import { testClock } from './testing/test-clock.js';
import { until } from './testing/test-cluster.js';

// report exits 0 after a (simulated) second, broken exits 1, forever outlasts every clock jump here
const scenario = {
  name: 'cron',
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ci' } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } },
  ],
  simulation: {
    images: {
      'registry.local/report:1': { exit: { afterSeconds: 1, exitCode: 0 } },
      'registry.local/broken:1': { exit: { afterSeconds: 1, exitCode: 1 } },
      'registry.local/forever:1': { exit: { afterSeconds: 1_000_000, exitCode: 0 } },
    },
  },
};
const clock = testClock('2025-01-01T00:00:30Z');
const home = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-cron-'));
const sim = await startKubeSim({ scenario, home, clock, timing: TEST_TIMING });

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', 'ci', ...args], { env: { ...process.env, HOME: home }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}
async function ok(...args: string[]): Promise<string> {
  const { code, out, err } = await kubectl(...args);
  assert.is(code, 0, `kubectl ${args.join(' ')}: ${err}`);
  return out;
}
function applyCronJob(name: string, image: string, spec: Record<string, unknown> = {}): Promise<string> {
  const manifest = JSON.stringify({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'ci' },
    spec: { schedule: '* * * * *', ...spec, jobTemplate: { metadata: { labels: { cron: name } }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } } } },
  });
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'apply', '-f', '-'], { env: { ...process.env, HOME: home } }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)));
    child.stdin?.end(manifest);
  });
}

const jobsOf = (cron: string) => sim.store.list('jobs', { namespace: 'ci', labelSelector: `cron=${cron}` }).items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
const cronStatus = (name: string) => (sim.store.mustGet('cronjobs', 'ci', name).status ?? {}) as { active?: { name: string }[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
const finished = (job: KubeObject | undefined) => ((job?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [])
  .find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
const eventReasons = (name: string) => sim.store.list('events', { namespace: 'ci' }).items
  .filter((e) => (e.involvedObject as { kind: string; name: string }).kind === 'CronJob' && (e.involvedObject as { name: string }).name === name).map((e) => e.reason as string);

/** Jumps the clock a second past the next whole minute and returns that minute (ms). */
function nextMinute(): number {
  const minute = Math.floor(clock.now() / 60_000) * 60_000 + 60_000;
  clock.advanceTo(minute + 1_000);
  return minute;
}
const jobName = (cron: string, minute: number) => `${cron}-${minute / 60_000}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const rowOf = (out: string, name: string) => out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/)).find((r) => r[0] === name);

test('kubectl create cronjob: at the next minute a Job named <cronjob>-<minutes since epoch> runs to Complete; status records it', async () => {
  assert.match(await ok('create', 'cronjob', 'report', '--image=registry.local/report:1', '--schedule=* * * * *'), 'cronjob.batch/report created');
  const cj = sim.store.mustGet('cronjobs', 'ci', 'report');
  await sim.settle();
  assert.is(sim.store.list('jobs', { namespace: 'ci' }).items.length, 0);
  const minute = nextMinute();
  const job = await until('the scheduled job', () => sim.store.get('jobs', 'ci', jobName('report', minute)));
  assert.equal(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.is(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], iso(minute));
  await until('report Complete', () => finished(sim.store.get('jobs', 'ci', job.metadata.name)) === 'Complete');
  await until('lastSuccessfulTime', () => cronStatus('report').lastSuccessfulTime !== undefined);
  const status = cronStatus('report');
  assert.is(status.lastScheduleTime, iso(minute));
  assert.is(status.active, undefined);
  assert.equal(eventReasons('report').filter((r) => r !== 'UnexpectedJob'), ['SuccessfulCreate', 'SawCompletedJob']);
  const table = await ok('get', 'cronjobs');
  assert.equal(table.trim().split('\n')[0].split(/\s{2,}/), ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
  const row = rowOf(table, 'report');
  assert.equal(row?.slice(0, 5), ['report', '* * * * *', '<none>', 'False', '0']);
  // seconds since the Job was scheduled: a loaded machine may take more than one to get here
  assert.match(row?.[5] ?? '', /^[1-9]s$/);
});

test('kubectl create job --from=cronjob/<name> runs the template once, owned by the CronJob and marked manual', async () => {
  assert.match(await ok('create', 'job', 'report-now', '--from=cronjob/report'), 'job.batch/report-now created');
  const job = sim.store.mustGet('jobs', 'ci', 'report-now');
  assert.is(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.is(job.metadata.ownerReferences?.[0]?.name, 'report');
  await until('report-now Complete', () => finished(sim.store.get('jobs', 'ci', 'report-now')) === 'Complete');
  // a Job it did not schedule never enters status.active
  assert.is(cronStatus('report').active, undefined);
});

test('deleting the CronJob garbage-collects its Jobs and their pods', async () => {
  assert.ok(sim.store.list('jobs', { namespace: 'ci' }).items.length >= 2);
  await ok('delete', 'cronjob', 'report');
  await until('jobs and pods gone', () => sim.store.list('jobs', { namespace: 'ci' }).items.length === 0 && sim.store.list('pods', { namespace: 'ci' }).items.length === 0);
});

test('concurrencyPolicy Forbid skips a schedule time while the previous Job is still active', async () => {
  await applyCronJob('forbid', 'registry.local/forever:1', { concurrencyPolicy: 'Forbid' });
  const first = nextMinute();
  await until('first job', () => sim.store.get('jobs', 'ci', jobName('forbid', first)));
  await until('first job active', () => cronStatus('forbid').active?.length === 1);
  nextMinute();
  await until('JobAlreadyActive', () => eventReasons('forbid').includes('JobAlreadyActive'));
  assert.equal(jobsOf('forbid').map((j) => j.metadata.name), [jobName('forbid', first)]);
  assert.equal(cronStatus('forbid').active?.map((r) => r.name), [jobName('forbid', first)]);
  assert.is(cronStatus('forbid').lastScheduleTime, iso(first));
  const table = await ok('get', 'cronjobs');
  assert.is(rowOf(table, 'forbid')?.[4], '1', table);
  await ok('delete', 'cronjob', 'forbid');
});

test('concurrencyPolicy Replace deletes the active Job and starts the new one', async () => {
  await applyCronJob('replace', 'registry.local/forever:1', { concurrencyPolicy: 'Replace' });
  const first = nextMinute();
  await until('first job', () => cronStatus('replace').active?.length === 1);
  const second = nextMinute();
  await until('replaced', () => cronStatus('replace').active?.[0]?.name === jobName('replace', second));
  await until('old job gone', () => jobsOf('replace').length === 1);
  assert.equal(jobsOf('replace').map((j) => j.metadata.name), [jobName('replace', second)]);
  assert.ok(eventReasons('replace').includes('SuccessfulDelete'));
  assert.is(sim.store.get('jobs', 'ci', jobName('replace', first)), undefined);
  await ok('delete', 'cronjob', 'replace');
});

test('history limits keep only the newest finished Jobs: 2 successful, 1 failed by default', async () => {
  await applyCronJob('keep', 'registry.local/report:1', { successfulJobsHistoryLimit: 2 });
  await applyCronJob('fails', 'registry.local/broken:1');
  const minutes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const minute = nextMinute();
    minutes.push(minute);
    await until(`run ${i + 1} finished`, () => finished(sim.store.get('jobs', 'ci', jobName('keep', minute))) && finished(sim.store.get('jobs', 'ci', jobName('fails', minute))));
  }
  await until('pruned', () => jobsOf('keep').length === 2 && jobsOf('fails').length === 1);
  await sim.settle();
  assert.equal(jobsOf('keep').map((j) => j.metadata.name), minutes.slice(1).map((m) => jobName('keep', m)));
  assert.equal(jobsOf('fails').map((j) => j.metadata.name), [jobName('fails', minutes[2])]);
  assert.is(cronStatus('fails').lastSuccessfulTime, undefined);
  await ok('delete', 'cronjob', 'keep', 'fails');
});

test('suspend stops new Jobs and shows in the SUSPEND column; resuming starts only the most recent missed time', async () => {
  await applyCronJob('paused', 'registry.local/report:1', { timeZone: 'Asia/Kolkata' });
  const first = nextMinute();
  const job = await until('first job', () => sim.store.get('jobs', 'ci', jobName('paused', first)));
  assert.is(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(first + 330 * 60_000).toISOString().replace(/\.\d{3}Z$/, '+05:30'));
  await ok('patch', 'cronjob', 'paused', '-p', '{"spec":{"suspend":true}}');
  assert.equal(rowOf(await ok('get', 'cronjobs'), 'paused')?.slice(2, 4), ['Asia/Kolkata', 'True']);
  nextMinute();
  nextMinute();
  const last = nextMinute();
  await sim.settle();
  assert.equal(jobsOf('paused').map((j) => j.metadata.name), [jobName('paused', first)]);
  await ok('patch', 'cronjob', 'paused', '-p', '{"spec":{"suspend":false}}');
  await until('resumed', () => jobsOf('paused').length === 2);
  assert.equal(jobsOf('paused').map((j) => j.metadata.name), [jobName('paused', first), jobName('paused', last)]);
  await ok('delete', 'cronjob', 'paused');
});

test('startingDeadlineSeconds: a schedule time missed by more than the deadline is not started', async () => {
  await applyCronJob('strict', 'registry.local/report:1', { startingDeadlineSeconds: 10, suspend: true });
  const minute = Math.floor(clock.now() / 60_000) * 60_000 + 60_000;
  clock.advanceTo(minute + 30_000);
  await ok('patch', 'cronjob', 'strict', '-p', '{"spec":{"suspend":false}}');
  await sim.settle();
  assert.is(jobsOf('strict').length, 0);
  const next = nextMinute();
  await until('on-time job', () => sim.store.get('jobs', 'ci', jobName('strict', next)));
  await ok('delete', 'cronjob', 'strict');
});

test.after(async () => { await sim.stop(); });
test.run();
