import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { auditName } from '../audit/audit-log.js';
import { KINDS, type Plural } from '../cluster-state/ganglion-objects.js';
import { findResultLine } from '../events/worker-result.js';
import { startStateCluster, type StateCluster } from '../testing/state-cluster.js';
import { runWorker } from './main.js';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Stores the object straight into kube-sim with an old creationTimestamp (the API server would set it to now). */
async function put(c: StateCluster, plural: Plural, name: string, age: number, spec: Record<string, unknown>, status?: Record<string, unknown>): Promise<void> {
  c.sim.store.create(`${plural}.ganglion.dev`, { apiVersion: 'ganglion.dev/v1alpha1', kind: KINDS[plural], metadata: { name, namespace: c.config.state.namespace, creationTimestamp: ago(age) }, spec, ...(status ? { status } : {}) });
}

const names = async (c: StateCluster, plural: Plural) => (await c.state.listAll(plural)).map((o) => o.metadata.name).sort();

/** Runs `ganglion-worker prune` as the CronJob's pod would, with KUBECONFIG pointing at kube-sim. */
async function prune(c: StateCluster, env: Record<string, string>) {
  let out = '';
  const code = await runWorker(['prune'], { KUBECONFIG: c.sim.kubeconfigPath, LOG_LEVEL: 'silent', ...env }, (l) => { out += l; });
  return { code, result: findResultLine(out) };
}

test('prune keeps the newest runs and deliveries by count and age, never running or waiting ones, and prunes spent or expired approvals after a day', async () => {
  const c = await startStateCluster();
  try {
    const run = (phase: string) => [{ command: 'scale web to 5' }, { phase }] as const;
    await put(c, 'runs', 'old-running', 100 * DAY, ...run('running'));
    await put(c, 'runs', 'old-waiting', 100 * DAY, ...run('awaiting-approval'));
    await put(c, 'runs', 'old-failed', 40 * DAY, ...run('failed'));
    await put(c, 'runs', 'done-1', 3 * 3_600_000, ...run('completed'));
    await put(c, 'runs', 'done-2', 2 * 3_600_000, ...run('completed'));
    await put(c, 'runs', 'done-3', 1 * 3_600_000, ...run('completed'));
    await put(c, 'webhookdeliveries', 'old-push', 40 * DAY, { delivery: 'd1' }, { phase: 'deployed' });
    await put(c, 'webhookdeliveries', 'new-push', 3_600_000, { delivery: 'd2' }, { phase: 'deployed' });
    const approval = (expiresAt: string) => ({ runId: 'r', stepId: 's1', function: 'scale', expiresAt });
    await put(c, 'approvals', 'spent-old', 2 * DAY, approval(ago(-DAY)), { spentAt: ago(2 * DAY) });
    await put(c, 'approvals', 'spent-new', 3_600_000, approval(ago(-DAY)), { spentAt: ago(3_600_000) });
    await put(c, 'approvals', 'expired-old', 2 * DAY, approval(ago(DAY)));
    await put(c, 'approvals', 'open-old', 2 * DAY, approval(ago(-DAY)));

    const { code, result } = await prune(c, { GANGLION_RETAIN_RUNS: '3', GANGLION_RETAIN_DAYS: '30' });
    assert.is(code, 0, JSON.stringify(result));
    // 6 runs, 3 kept: the two still going count but stay; the oldest finished go first (old-failed also by age)
    assert.equal(await names(c, 'runs'), ['done-3', 'old-running', 'old-waiting']);
    assert.equal(await names(c, 'webhookdeliveries'), ['new-push']);
    assert.equal(await names(c, 'approvals'), ['open-old', 'spent-new']);
    assert.is(result?.type, 'dev.ganglion.step.completed');
    const data = (result?.data as { summary: string; data: { deleted: Record<string, number> } });
    assert.equal(data.data.deleted, { runs: 3, webhookdeliveries: 1, approvals: 2, auditrecords: 0 });
    assert.match(data.summary, 'pruned 6 objects in ganglion');
  } finally {
    await c.stop();
  }
});

test('prune deletes the oldest audit records beyond the count, paging through thousands, and any older than the days kept', async () => {
  const c = await startStateCluster();
  try {
    const ns = c.config.state.namespace;
    const spec = { client: 'ganglion-cli', runId: 'r', stepId: 's1', verb: 'scale', object: 'deployment/web', cluster: 'sim', result: 'applied' };
    const t0 = Date.now() - DAY;
    // 1,200 records straight into kube-sim's store (quick), a second apart, oldest first by name
    for (let i = 0; i < 1200; i++) {
      const time = new Date(t0 + i * 1000).toISOString();
      c.sim.store.create('auditrecords.ganglion.dev', { apiVersion: 'ganglion.dev/v1alpha1', kind: 'AuditRecord', metadata: { name: auditName(time), namespace: ns }, spec: { ...spec, time } });
    }
    const before = (await c.state.listAll('auditrecords')).map((o) => o.metadata.name);
    const { code, result } = await prune(c, { GANGLION_RETAIN_AUDIT: '1000' });
    assert.is(code, 0, JSON.stringify(result));
    assert.equal((await c.state.listAll('auditrecords')).map((o) => o.metadata.name), before.slice(200), 'the 200 oldest went');

    // by age: a record 40 days old goes even when the count allows it
    const old = auditName(ago(40 * DAY));
    await put(c, 'auditrecords', old, 40 * DAY, { ...spec, time: ago(40 * DAY) });
    const again = await prune(c, { GANGLION_RETAIN_AUDIT: '5000', GANGLION_RETAIN_DAYS: '30' });
    assert.equal((again.result?.data as { data: { deleted: { auditrecords: number } } }).data.deleted.auditrecords, 1);
    assert.is(await c.state.get('auditrecords', old), undefined);
  } finally {
    await c.stop();
  }
});

test('without the definitions installed, prune fails saying to run kubectl apply -f k8s/', async () => {
  const c = await startStateCluster({ install: false });
  try {
    const { code, result } = await prune(c, {});
    assert.is(code, 1);
    assert.match(JSON.stringify(result?.data), /kubectl apply -f k8s\//);
  } finally {
    await c.stop();
  }
});

test.run();
