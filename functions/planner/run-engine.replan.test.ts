/** The run engine shows the planner a round's results only when they change the picture, within the re-plan budget. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { approvalKey } from '../../host/approval-token.js';
import { fakeCluster, fakeInvoker } from './testing/fake-cluster.js';
import { EMPTY_POLICY } from './policy.js';
import { createRunEngine } from './run-engine.js';
import { runStoreOn, startEngineCluster } from '../../testing/engine-cluster.js';
import type { Plan, Planner, PlanStep, StepOutcome } from './plan.js';

const sc = await startEngineCluster();
test.after(() => sc.stop());

/** Namespaces the fake cluster has, for a planner that looks somewhere new each time (the plan check refuses invented ones). */
const NAMESPACES = ['default', 'apps', 'web', 'data', 'monitoring', 'staging'];
const step = (id: string, fn: string, input: Record<string, unknown> = {}, dependsOn: string[] = []): PlanStep => ({ id, fn, input, dependsOn, mutates: false });

/** A model-like planner with a fixed first plan; `next` answers each re-plan call, which is recorded. */
function recordingPlanner(first: PlanStep[], next: (call: number, results: StepOutcome[]) => Plan | undefined = () => undefined) {
  const calls: StepOutcome[][] = [];
  const planner: Planner = {
    name: 'fake-model',
    plan: async () => ({ planner: 'fake-model', plan: { steps: first } }),
    replan: async ({ results }) => {
      calls.push(structuredClone(results));
      const plan = next(calls.length, results);
      return plan ? { planner: 'fake-model', plan } : undefined;
    },
  };
  return { planner, calls };
}


function setup(planner: Planner, maxReplans?: number) {
  const cluster = fakeCluster();
  const inv = fakeInvoker(cluster.modules, sc);
  const engine = createRunEngine({
    state: sc.state, store: runStoreOn(sc), invoke: inv.invoke, gatewayUrl: 'http://gw.test',
    planner: async () => planner, catalog: async () => cluster.catalog, facts: async () => cluster.facts(),
    policy: () => EMPTY_POLICY, approvalKey: () => approvalKey(inv.config), stepKey: inv.stepKey, waitMs: 20_000,
    ...(maxReplans !== undefined ? { maxReplans } : {}),
  });
  return { cluster, engine, inv };
}

test('a review verdict is shown to the planner once, with the verdict, and the plain results of what it adds are not', async () => {
  const { planner, calls } = recordingPlanner([step('s1', 'code-review')], (n) => (n === 1 ? { steps: [step('status', 'cluster-status', {}, ['s1'])] } : undefined));
  const { cluster, engine } = setup(planner);
  cluster.review.verdict = 'request-changes';
  const { view } = await engine.start({ text: 'review the code, then show me cluster status' });
  assert.is(view.status, 'completed', view.summary);
  assert.is(calls.length, 1);
  assert.equal(calls[0]?.map((r) => [r.stepId, r.status, r.data]), [['s1', 'completed', { verdict: 'request-changes', findings: [] }]]);
  assert.equal(view.steps.map((s) => [s.id, s.status]), [['s1', 'completed'], ['r1-status', 'completed']]);
});

test('an empty result is shown to the planner, and the step it adds runs', async () => {
  const { planner, calls } = recordingPlanner([step('s1', 'failing-pods')], (n) => (n === 1 ? { steps: [step('wide', 'cluster-status')] } : undefined));
  const { cluster, engine } = setup(planner);
  cluster.failingPods.length = 0;
  const { view } = await engine.start({ text: 'which pods are failing?' });
  assert.is(view.status, 'completed', view.summary);
  assert.is(calls.length, 1);
  assert.equal(view.steps.map((s) => [s.id, s.status]), [['s1', 'completed'], ['r1-wide', 'completed']]);
  assert.is(view.summary, 'no failing pods; 5 deployments');
  assert.ok(view.notes?.some((n) => n === 'fake-model added cluster-status because step s1 (failing-pods) found nothing'), String(view.notes));
});

test('a successful result with data is not shown to the planner', async () => {
  const { planner, calls } = recordingPlanner([step('s1', 'failing-pods'), step('s2', 'cluster-status')]);
  const { engine } = setup(planner);
  const { view } = await engine.start({ text: 'failing pods and cluster status' });
  assert.is(view.status, 'completed', view.summary);
  assert.is(calls.length, 0);
});

test('with the re-plan budget spent the planner is not asked again and the run says why it stopped', async () => {
  // Every re-plan looks somewhere new and finds nothing again.
  const { planner, calls } = recordingPlanner([step('s1', 'failing-pods')], (n) => ({ steps: [step('look', 'failing-pods', { namespace: NAMESPACES[n] })] }));
  const { cluster, engine } = setup(planner, 2);
  cluster.failingPods.length = 0;
  const { view } = await engine.start({ text: 'which pods are failing?' });
  assert.is(calls.length, 2);
  assert.is(view.status, 'completed', view.summary);
  assert.equal(view.steps.map((s) => s.id), ['s1', 'r1-look', 'r2-look']);
  assert.is(view.conclusion, "stopped re-planning: the run's 2 re-plans are spent (step r2-look (failing-pods) found nothing)");
  assert.match(view.summary, /no failing pods; stopped re-planning: the run's 2 re-plans are spent/);
});

test('with maxReplans 4 the planner adds steps four times, is not asked a fifth time, and the run says its four re-plans are spent', async () => {
  const { planner, calls } = recordingPlanner([step('s1', 'failing-pods')], (n) => ({ steps: [step('look', 'failing-pods', { namespace: NAMESPACES[n] })] }));
  const { cluster, engine } = setup(planner, 4);
  cluster.failingPods.length = 0;
  const { view } = await engine.start({ text: 'which pods are failing?' });
  assert.is(view.status, 'completed', view.summary);
  assert.is(calls.length, 4);
  assert.equal(view.steps.map((s) => [s.id, s.status]), [['s1', 'completed'], ['r1-look', 'completed'], ['r2-look', 'completed'], ['r3-look', 'completed'], ['r4-look', 'completed']]);
  assert.is(view.conclusion, "stopped re-planning: the run's 4 re-plans are spent (step r4-look (failing-pods) found nothing)");
});

test('with maxReplans 0 the planner is never shown results and the run says re-planning is off', async () => {
  const { planner, calls } = recordingPlanner([step('s1', 'failing-pods')], () => ({ steps: [step('wide', 'cluster-status')] }));
  const { cluster, engine } = setup(planner, 0);
  cluster.failingPods.length = 0;
  const { view } = await engine.start({ text: 'which pods are failing?' });
  assert.is(view.status, 'completed', view.summary);
  assert.is(calls.length, 0);
  assert.equal(view.steps.map((s) => s.id), ['s1']);
  assert.is(view.conclusion, 'did not re-plan: re-planning is off (GANGLION_BRAIN_MAX_REPLANS=0); step s1 (failing-pods) found nothing');
});

test('a re-planned step identical to one that ran stops the run as a loop, naming both', async () => {
  const { planner, calls } = recordingPlanner([step('s1', 'failing-pods', { namespace: 'apps' })], () => ({ steps: [step('again', 'failing-pods', { namespace: 'apps' })] }));
  const { cluster, engine } = setup(planner);
  cluster.failingPods.length = 0;
  const { view } = await engine.start({ text: 'which pods are failing in apps?' });
  assert.is(calls.length, 1);
  assert.is(view.status, 'failed');
  assert.is(view.error?.code, 'replan_loop');
  assert.is(view.summary, 'failed: stopped: fake-model planned failing-pods {"namespace":"apps"} again after it already ran as step s1; a repeated identical step is a loop');
});

test('a change a re-plan adds after a verdict is previewed and waits for approval; the verdict approves nothing', async () => {
  const { planner } = recordingPlanner([step('s1', 'code-review')], (n) => (n === 1 ? { steps: [{ ...step('ship', 'deploy', { name: 'placemyparents', tag: '2.0' }), mutates: false }] } : undefined));
  const { cluster, engine, inv } = setup(planner);
  const { view } = await engine.start({ text: 'review and deploy placemyparents 2.0 if good', context: { yes: true } });
  assert.is(view.status, 'awaiting-approval', view.summary);
  assert.equal(view.steps.map((s) => [s.id, s.mutates, s.status]), [['s1', false, 'completed'], ['r1-ship', true, 'awaiting-approval']]);
  assert.equal(view.approval?.changes.map((c) => c.text), ['image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)']);
  assert.equal(cluster.applied, []);
  assert.ok(inv.calls.filter((c) => c.fn === 'deploy').every((c) => (c.input as { dryRun?: boolean }).dryRun === true && !c.approval));
});

test('the embedded planner still adds deploy after an approving verdict and says plainly when it does not deploy', async () => {
  const { createEmbeddedPlanner } = await import('./embedded-planner.js');
  const { cluster, engine } = setup(createEmbeddedPlanner());
  cluster.review.verdict = 'request-changes';
  const { view } = await engine.start({ text: 'Review the code and deploy placemyparents 2.0 if good' });
  assert.is(view.status, 'completed', view.summary);
  assert.match(view.summary, /review requested changes \(0 findings\); placemyparents not deployed$/);
  assert.equal(cluster.applied, []);
});

test.after(() => sc.stop());

test.run();
