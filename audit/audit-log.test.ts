import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startStateCluster } from '../testing/state-cluster.js';
import { appendAudit, auditName, readAllAudit, readAudit, type AuditObject } from './audit-log.js';

const run = promisify(execFile);
const base = { client: 'ganglion-cli', runId: 'r1', stepId: 's1', verb: 'scale', object: 'deployment/frontend', namespace: 'web', cluster: 'ganglion-sim', before: { replicas: 2 }, after: { replicas: 5 }, approvedBy: 'person' };

test('names sort in time order, down to the millisecond, and never collide', () => {
  const a = auditName('2026-11-25T09:59:59.999Z');
  const b = auditName('2026-11-25T10:00:00.000Z');
  assert.match(a, /^a-20261125095959999-[0-9a-f]{4}$/);
  assert.ok(a < b);
  assert.is.not(auditName('2026-11-25T10:00:00.000Z'), auditName('2026-11-25T10:00:00.000Z'));
});

test('each record is its own AuditRecord object with before/after, the step and who approved; pages come oldest first', async () => {
  const c = await startStateCluster();
  try {
    // written out of order: the listing still reads in time order
    await appendAudit(c.state, { ...base, result: 'applied', time: '2026-11-25T10:00:01.000Z' });
    await appendAudit(c.state, { ...base, result: 'attempt', time: '2026-11-25T10:00:00.000Z' });
    await appendAudit(c.state, { ...base, runId: 'r2', result: 'failed: quota', time: '2026-11-26T08:00:00.000Z' });
    const objects = await c.state.listAll<AuditObject>('auditrecords');
    assert.is(objects.length, 3);
    assert.equal(objects[0]?.spec, { time: '2026-11-25T10:00:00.000Z', ...base, result: 'attempt' });
    assert.is(objects[0]?.metadata.labels?.['ganglion.dev/run'], 'r1');

    const first = await readAudit(c.state, { limit: 2 });
    assert.equal(first.records.map((r) => r.result), ['attempt', 'applied']);
    assert.ok(first.continue);
    const second = await readAudit(c.state, { limit: 2, continue: first.continue });
    assert.equal(second.records.map((r) => r.result), ['failed: quota']);
    assert.is(second.continue, undefined);

    const all = await readAllAudit(c.state, { limit: 1, since: '2026-11-25T10:00:01Z' });
    assert.equal(all.records.map((r) => r.result), ['applied', 'failed: quota']);
    assert.match(String(await readAudit(c.state, { since: 'yesterday-ish' }).catch((e: unknown) => e)), /not a time/);

    // kubectl sees them too, with the printer columns
    const { stdout } = await run('kubectl', ['--kubeconfig', c.sim.kubeconfigPath, 'get', 'auditrecords', '-n', c.config.state.namespace], { encoding: 'utf8' });
    assert.match(stdout, /scale\s+deployment\/frontend\s+web\s+attempt\s+person/);
  } finally {
    await c.stop();
  }
});

test('a hand-edited object that is no audit record is skipped with a note, and the listing goes on', async () => {
  const c = await startStateCluster();
  try {
    await appendAudit(c.state, { ...base, result: 'attempt', time: '2026-11-25T10:00:00.000Z' });
    // stored straight into kube-sim, as if edited past validation
    c.sim.store.create('auditrecords.ganglion.dev', { apiVersion: 'ganglion.dev/v1alpha1', kind: 'AuditRecord', metadata: { name: 'a-20261125100000500-beef', namespace: c.config.state.namespace }, spec: { time: 'last tuesday', verb: 'scale' } });
    await appendAudit(c.state, { ...base, result: 'applied', time: '2026-11-25T10:00:01.000Z' });
    const page = await readAudit(c.state);
    assert.equal(page.records.map((r) => r.result), ['attempt', 'applied']);
    assert.is(page.skipped.length, 1);
    assert.is(page.skipped[0]?.name, 'a-20261125100000500-beef');
    assert.match(page.skipped[0]?.reason ?? '', /spec is not an audit record \(time: not a time; client: .*edited by hand/);
  } finally {
    await c.stop();
  }
});

test('an empty log reads as no records', async () => {
  const c = await startStateCluster();
  try {
    assert.equal(await readAudit(c.state), { records: [], skipped: [] });
  } finally {
    await c.stop();
  }
});

test.run();
