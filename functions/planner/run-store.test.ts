/** Runs as Run objects: shared by every planner process, written against their resourceVersion, checked on every read. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as z from 'zod';
import { approvalKey, type ApprovalObject } from '../../host/approval-token.js';
import { defineMeta } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { createEmbeddedPlanner } from './embedded-planner.js';
import { fakeCluster, fakeInvoker } from './testing/fake-cluster.js';
import { runStoreOn, startEngineCluster } from '../../testing/engine-cluster.js';
import { EMPTY_POLICY } from './policy.js';
import { createRunEngine } from './run-engine.js';
import type { RunObject } from './run-store.js';
import type { Planner } from './plan.js';

const sc = await startEngineCluster();
test.after(() => sc.stop());

/** One planner process: its own HOME, store, memory and invoker; the cluster (runs, approvals) shared. */
function plannerProcess(cluster = fakeCluster(), opts: { planner?: Planner; stepOutputBytes?: number; now?: () => Date } = {}) {
  const inv = fakeInvoker(cluster.modules, sc);
  const engine = createRunEngine({
    state: sc.state, store: runStoreOn(sc, opts.stepOutputBytes ? { stepOutputBytes: opts.stepOutputBytes } : {}), invoke: inv.invoke, gatewayUrl: 'http://gw.test',
    planner: async () => opts.planner ?? createEmbeddedPlanner(), catalog: async () => cluster.catalog, facts: async () => cluster.facts(),
    policy: () => EMPTY_POLICY, approvalKey: () => approvalKey(inv.config), stepKey: inv.stepKey, waitMs: 20_000,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { engine, cluster, inv };
}

async function refusal(p: Promise<unknown>): Promise<GanglionError> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, GanglionError);
    return err as GanglionError;
  }
  throw new Error('expected a refusal');
}

test('a second planner process sees the run the first started, and approves it; the first replaying the token gets 409 and applies nothing', async () => {
  const cluster = fakeCluster();
  const a = plannerProcess(cluster);
  const b = plannerProcess(cluster);
  const { view, token } = await a.engine.start({ text: 'Deploy placemyparents version 2.0' });
  assert.is((await b.engine.get(view.runId)).status, 'awaiting-approval');
  const done = await b.engine.approve(view.runId, { token: token });
  assert.is(done.view.status, 'completed', done.view.summary);
  const replay = await refusal(a.engine.approve(view.runId, { token: token }));
  assert.is(replay.status, 409);
  assert.is(replay.code, 'run_not_awaiting_approval');
  assert.equal(cluster.applied, ['deploy placemyparents image=registry.local/placemyparents:2.0']);
  assert.is((await a.engine.get(view.runId)).status, 'completed', 'the first process reads the truth, not its memory');
});

test('two planner processes spending one approval at the same moment: one applies, the other answers 409 run_changed and applies nothing', async () => {
  const cluster = fakeCluster();
  const a = plannerProcess(cluster);
  const b = plannerProcess(cluster);
  const { view, token } = await a.engine.start({ text: 'Scale placemyparents to 4' });
  const answers = await Promise.allSettled([a.engine.approve(view.runId, { token: token }), b.engine.approve(view.runId, { token: token })]);
  const lost = answers.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
  assert.is(lost.length, 1, 'exactly one process spends the token');
  assert.is((lost[0]!.reason as GanglionError).status, 409);
  assert.is((lost[0]!.reason as GanglionError).code, 'run_changed');
  assert.match((lost[0]!.reason as GanglionError).message, /nothing was applied here/);
  await Promise.all([a.engine.idle(), b.engine.idle()]);
  assert.equal(cluster.applied, ['scale placemyparents replicas=4']);
  assert.equal([...a.inv.calls, ...b.inv.calls].filter((c) => c.approval).length, 1, 'one signed call in all');
});

test('an approved step is recorded as an Approval object (who approved, until when) and spent by the function', async () => {
  const { engine } = plannerProcess();
  const { view } = await engine.start({ text: 'roll back placemyparents', context: { yes: true, client: 'alice' } });
  assert.is(view.status, 'completed', view.summary);
  const mine = (await sc.state.listAll<ApprovalObject>('approvals')).filter((o) => o.spec.runId === view.runId);
  assert.is(mine.length, 1);
  assert.equal([mine[0]!.spec.stepId, mine[0]!.spec.function, mine[0]!.spec.approvedBy], ['s1', 'rollback', 'alice']);
  assert.ok(Date.parse(mine[0]!.spec.expiresAt) > Date.now() + sc.config.planner.approvalTtlMs - 60_000);
  assert.ok(mine[0]!.status?.spentAt, 'spent by the rollback function');
});

test('a step output over the limit is stored trimmed with a note saying from how many bytes to how many', async () => {
  const big = 'x'.repeat(5000);
  const fns = fakeCluster();
  fns.modules.push({ meta: defineMeta({ name: 'big-read', description: 'answers 5 kB', input: z.object({}), mutates: false, access: 'viewer', examples: [] }), handle: async () => ({ summary: 'big', data: { lines: [big] } }) });
  fns.catalog.push(fns.modules.at(-1)!.meta);
  const planner: Planner = { name: 'fixed', plan: async () => ({ planner: 'fixed', plan: { steps: [{ id: 's1', fn: 'big-read', input: {}, dependsOn: [], mutates: false }, { id: 's2', fn: 'cluster-status', input: {}, dependsOn: [], mutates: false }] } }) };
  const { engine } = plannerProcess(fns, { planner, stepOutputBytes: 1024 });
  const { view } = await engine.start({ text: 'read a lot' });
  assert.is(view.status, 'completed', view.summary);
  const stored = await sc.state.get<RunObject>('runs', view.runId);
  const s1 = (stored!.status!.record as { steps: Array<{ data: unknown }> }).steps[0]!.data as { note: string; preview: string };
  assert.match(s1.note, new RegExp(`^output trimmed from ${Buffer.byteLength(JSON.stringify({ lines: [big] }))} to \\d+ bytes; a run keeps at most 1024 bytes`));
  const kept = Number(/to (\d+) bytes/.exec(s1.note)![1]);
  assert.is(Buffer.byteLength(s1.preview), kept);
  assert.ok(s1.preview.startsWith('{"lines":["xxx'));
  assert.ok(Buffer.byteLength(JSON.stringify(s1)) <= 1024, 'the trimmed form fits the limit');
  assert.equal((await engine.get(view.runId)).data.s2, { deployments: 5 }, 'small outputs are kept whole');
});

test('a Run object edited by hand into another shape fails on its own, naming the run and the field; the list and new commands still work', async () => {
  const { engine } = plannerProcess();
  const good = await engine.start({ text: 'Show me cluster status' });
  const bad = await engine.start({ text: 'Show me cluster status' });
  const obj = await sc.state.get<RunObject>('runs', bad.view.runId);
  await sc.state.replace('runs', { ...obj!, status: { ...obj!.status, record: { ...(obj!.status!.record as object), steps: 'x' } } });
  const err = await refusal(engine.get(bad.view.runId));
  assert.is(err.status, 500);
  assert.is(err.code, 'run_invalid');
  assert.match(err.message, new RegExp(`^Run object ${bad.view.runId} \\(namespace ganglion\\) does not hold a valid run: status\\.record\\.steps: .*expected array`));
  assert.match(err.message, /kubectl edit runs\.ganglion\.dev/);
  const listed = await engine.list(200);
  assert.ok(listed.runs.some((r) => r.runId === good.view.runId), 'the other runs still list');
  assert.not.ok(listed.runs.some((r) => r.runId === bad.view.runId));
  assert.equal(listed.unreadable.filter((u) => u.runId === bad.view.runId).map((u) => /status\.record\.steps/.test(u.error)), [true]);
  assert.is((await engine.get(good.view.runId)).status, 'completed');
  assert.is((await engine.start({ text: 'Show me cluster status' })).view.status, 'completed', 'new commands run');
});

test('runs list newest first, whatever their names', async () => {
  let t = Date.parse('2030-01-01T00:00:00Z');
  const { engine } = plannerProcess(fakeCluster(), { now: () => new Date(t) });
  const ids: string[] = [];
  for (const runId of ['zz-newest-last', 'aa-middle-one', 'mm-first-one'].reverse()) {
    t += 1000;
    ids.push((await engine.start({ text: 'Show me cluster status', runId })).view.runId);
  }
  const { runs } = await engine.list(3);
  assert.equal(runs.map((r) => r.runId), ids.reverse());
});

test.run();
