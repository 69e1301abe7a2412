/** automate against a cluster: a monitor is a Monitor object plus a CronJob running the worker's invoke role; the report a CronJob too. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import type { V1CronJob } from '@kubernetes/client-node';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import type { FunctionContext } from '../../function-kit/function-module.js';
import { readMonitor } from '../../monitors/monitor-store.js';
import { startStateCluster } from '../../testing/state-cluster.js';
import { input } from './schema.js';
import { handle } from './handler.js';

const cluster = await startStateCluster({ scenario: 'empty' });
const env = {
  GANGLION_HOME: cluster.home, KUBECONFIG: cluster.sim.kubeconfigPath, OPENFAAS_URL: 'http://gateway.openfaas:8080', GANGLION_WORKER_NAMESPACE: 'ganglion-workers',
  GANGLION_WORKER_IMAGE: 'registry.local/ganglion-worker:7', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', GANGLION_SECRETS_DIR: `${cluster.home}/none`, LOG_LEVEL: 'silent',
};

function ctx(): FunctionContext {
  return {
    log: createLogger({ name: 'automate', level: 'silent' }),
    config: loadConfig(env),
    kube: cluster.kube,
    now: () => new Date('2026-11-25T12:00:00Z'),
    signal: new AbortController().signal,
    event: { id: '1', source: '/test', type: 'dev.ganglion.step.requested', extensions: {} },
    request: { method: 'POST', path: '/', query: new URLSearchParams(), headers: {} },
  };
}

async function kubectl(...args: string[]): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', cluster.sim.kubeconfigPath, ...args], { env: { ...process.env, HOME: cluster.home }, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}
await kubectl('create', 'namespace', 'ganglion-workers');
const cronJob = (name: string) => cluster.sim.store.get('cronjobs', 'ganglion-workers', name) as unknown as V1CronJob | undefined;

test('the dry run changes nothing and lists the Monitor and the CronJob before → after', async () => {
  const out = await handle(input.parse({ what: 'monitor', rule: 'restarts', threshold: 5, namespace: 'apps', dryRun: true }), ctx());
  assert.is(out.summary, 'would create monitor pod-restarts-over-5-apps: pods restarting more than 5 times in namespace apps, checked every 5 minutes, Slack alerts');
  assert.equal(out.data.changes.map((c) => [c.object, c.namespace, c.field, c.before, c.after]), [
    ['monitor/pod-restarts-over-5-apps', 'ganglion', 'rule', null, 'pods restarting more than 5 times in namespace apps'],
    ['monitor/pod-restarts-over-5-apps', 'ganglion', 'notify', null, 'slack'],
    ['cronjob/ganglion-monitor-pod-restarts-over-5-apps', 'ganglion-workers', 'schedule', null, '*/5 * * * *'],
  ]);
  assert.is(await readMonitor(cluster.state, 'pod-restarts-over-5-apps'), undefined);
  assert.is(cronJob('ganglion-monitor-pod-restarts-over-5-apps'), undefined);
});

test('a monitor is a Monitor object and a CronJob whose pods invoke the monitor function as locked-down workers', async () => {
  const out = await handle(input.parse({ what: 'monitor', rule: 'pod-health' }), ctx());
  assert.is(out.summary, 'Done. Now checking pod health every 5 minutes. Slack alerts enabled.');
  const rec = await readMonitor(cluster.state, 'pod-health');
  assert.equal({ rule: rec?.monitor.rule, schedule: rec?.monitor.schedule, notify: rec?.monitor.notify, by: rec?.monitor.scheduledBy }, { rule: { kind: 'pod-health' }, schedule: '*/5 * * * *', notify: ['slack'], by: 'ganglion-workers/ganglion-monitor-pod-health' });
  const cj = cronJob('ganglion-monitor-pod-health');
  assert.ok(cj, 'no CronJob');
  assert.equal(cj.metadata?.labels, { 'ganglion.dev/role': 'invoke', 'app.kubernetes.io/managed-by': 'ganglion', 'app.kubernetes.io/component': 'worker', 'ganglion.dev/monitor': 'pod-health' });
  assert.equal([cj.spec?.schedule, cj.spec?.concurrencyPolicy, cj.spec?.startingDeadlineSeconds, cj.spec?.successfulJobsHistoryLimit, cj.spec?.failedJobsHistoryLimit], ['*/5 * * * *', 'Forbid', 120, 1, 3]);
  const job = cj.spec?.jobTemplate.spec;
  const pod = job?.template.spec;
  const c = pod?.containers[0];
  assert.equal([job?.backoffLimit, pod?.restartPolicy, pod?.serviceAccountName, pod?.automountServiceAccountToken], [0, 'Never', 'ganglion-worker', false]);
  assert.equal(job?.template.metadata?.labels?.['ganglion.dev/monitor'], 'pod-health');
  assert.equal([c?.image, c?.args, c?.env], ['registry.local/ganglion-worker:7', ['invoke', 'monitor', '--body', '{"monitor":"pod-health"}'], [
    { name: 'OPENFAAS_URL', value: 'http://gateway.openfaas:8080' },
    // the gateway's functions want a token: the pod reads it from the Secret the install made
    { name: 'GANGLION_TOKEN', valueFrom: { secretKeyRef: { name: 'ganglion-invoke-token', key: 'token', optional: true } } },
  ]]);
  assert.equal(c?.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  assert.equal(pod?.securityContext, { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
  // what a person sees with the real kubectl
  assert.match(await kubectl('get', 'cronjobs', '-n', 'ganglion-workers'), /^ganglion-monitor-pod-health\s+\*\/5 \* \* \* \*/m);
  assert.match(await kubectl('get', 'monitors', '-n', 'ganglion'), /^pod-health\s+pod health\s+\*\/5 \* \* \* \*/m);
});

test('asking again with another schedule updates both in place, and the dry run shows the old values', async () => {
  const dry = await handle(input.parse({ what: 'monitor', rule: 'pod-health', schedule: '*/10 * * * *', notify: 'none', dryRun: true }), ctx());
  assert.equal(dry.data.changes.map((c) => [c.field, c.before, c.after]), [['rule', 'pod health', 'pod health'], ['notify', 'slack', 'none'], ['schedule', '*/5 * * * *', '*/10 * * * *']]);
  await handle(input.parse({ what: 'monitor', rule: 'pod-health', schedule: '*/10 * * * *', notify: 'none' }), ctx());
  assert.is(cronJob('ganglion-monitor-pod-health')?.spec?.schedule, '*/10 * * * *');
  assert.equal((await readMonitor(cluster.state, 'pod-health'))?.monitor.notify, []);
});

test('"weekly report" is the CronJob ganglion-report invoking report with its body', async () => {
  const out = await handle(input.parse({ what: 'report', notify: 'slack' }), ctx());
  assert.is(out.summary, 'Done. The infrastructure report goes out every Monday at 08:00. Slack delivery enabled.');
  const c = cronJob('ganglion-report')?.spec?.jobTemplate.spec?.template.spec?.containers[0];
  assert.equal([cronJob('ganglion-report')?.spec?.schedule, c?.args], ['0 8 * * 1', ['invoke', 'report', '--body', '{"notify":"slack"}']]);
  const dry = await handle(input.parse({ what: 'report', notify: 'webhook', dryRun: true }), ctx());
  assert.equal(dry.data.changes.map((x) => [x.object, x.field, x.before, x.after]), [['cronjob/ganglion-report', 'schedule', '0 8 * * 1', '0 8 * * 1'], ['cronjob/ganglion-report', 'notify', 'slack', 'webhook']]);
});

test('removing a monitor deletes its CronJob and its Monitor object; removing it again names the ones left', async () => {
  await handle(input.parse({ what: 'monitor', rule: 'node-not-ready' }), ctx());
  const out = await handle(input.parse({ what: 'monitor', rule: 'pod-health', remove: true }), ctx());
  assert.is(out.summary, 'Done. Stopped checking pod health.');
  assert.is(cronJob('ganglion-monitor-pod-health'), undefined);
  assert.is(await readMonitor(cluster.state, 'pod-health'), undefined);
  assert.ok(cronJob('ganglion-monitor-node-not-ready'), 'the other monitor keeps its CronJob');
  try {
    await handle(input.parse({ what: 'monitor', rule: 'pod-health', remove: true }), ctx());
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, /there is no monitor pod-health \(pod health\); monitors: node-not-ready/);
  }
});

test('a schedule that is not cron is refused before anything is written', async () => {
  try {
    await handle(input.parse({ what: 'monitor', rule: 'not-ready', schedule: 'every tuesday' }), ctx());
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, /schedule "every tuesday" must have five fields/);
  }
  assert.is(await readMonitor(cluster.state, 'pods-not-ready-5m'), undefined);
});

test.after(async () => {
  await cluster.stop();
});
test.run();
