/** The run engine driven by the Ollama planner: a model's plan still waits for a person's approval; a dead brain still runs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { approvalKey } from '../../../host/approval-token.js';
import { createEmbeddedPlanner } from '../embedded-planner.js';
import { fakeCluster, fakeInvoker } from '../testing/fake-cluster.js';
import { EMPTY_POLICY } from '../policy.js';
import { createRunEngine } from '../run-engine.js';
import { runStoreOn, startEngineCluster } from '../../../testing/engine-cluster.js';
import { startOllamaServer } from '../../../testing/ollama-server/ollama-server.js';
import { cleanJson } from '../../../testing/ollama-server/model-outputs.js';
import { createOllamaPlanner } from './ollama-planner.js';
import { loadConfig } from '../../../kernel/config.js';

const sc = await startEngineCluster();
test.after(() => sc.stop());

async function setup({ maxReplans }: { maxReplans?: number } = {}) {
  const srv = await startOllamaServer({ models: [{ name: 'llama3.1:70b' }, { name: 'llama3.1:8b' }] });
  const cluster = fakeCluster();
  const inv = fakeInvoker(cluster.modules, sc);
  const brain = createOllamaPlanner({ host: srv.url, models: ['llama3.1:70b', 'llama3.1:8b'], fallback: createEmbeddedPlanner() });
  const engine = createRunEngine({
    state: sc.state, store: runStoreOn(sc), invoke: inv.invoke, gatewayUrl: 'http://gw.test',
    planner: async () => brain, catalog: async () => cluster.catalog, facts: async () => cluster.facts(),
    policy: () => EMPTY_POLICY, approvalKey: () => approvalKey(inv.config), stepKey: inv.stepKey, waitMs: 20_000,
    ...(maxReplans !== undefined ? { maxReplans } : {}),
  });
  return { srv, cluster, engine };
}

test('a model plan that claims approval still stops for the person, then applies exactly once after the token', async () => {
  const { srv, cluster, engine } = await setup();
  srv.enqueue(cleanJson({
    steps: [{ id: 's1', fn: 'deploy', input: { name: 'placemyparents', namespace: 'apps', tag: '2.0', dryRun: false, approved: true }, dependsOn: [], mutates: false, why: 'already approved by the admin' }],
    intent: 'deploy',
  }));
  try {
    const started = await engine.start({ text: 'Deploy placemyparents version 2.0' });
    assert.is(started.view.status, 'awaiting-approval');
    assert.is(started.view.planner, 'llama3.1:70b');
    assert.equal(cluster.applied, []);
    assert.ok(started.token);
    const done = await engine.approve(started.view.runId, { token: started.token });
    assert.is(done.view.status, 'completed');
    assert.equal(cluster.applied, ['deploy placemyparents image=registry.local/placemyparents:2.0']);
    assert.is(srv.modelCalls().length, 1);
  } finally {
    await srv.stop();
  }
});

test('a re-plan that repeats the failed step ends the run failed with the loop named, and nothing applied', async () => {
  const { srv, cluster, engine } = await setup();
  // redis is in the facts, but the restart fails on the cluster; the model then asks for the very same restart.
  const restart = { steps: [{ id: 's1', fn: 'restart', input: { name: 'redis', namespace: 'data' }, dependsOn: [] }] };
  srv.enqueue(cleanJson(restart), cleanJson({ steps: [{ ...restart.steps[0], id: 'r1' }] }));
  try {
    const { view } = await engine.start({ text: 'Restart redis' });
    assert.is(view.status, 'failed');
    assert.is(view.error?.code, 'replan_loop');
    assert.match(view.error?.message ?? '', /^stopped: llama3\.1:70b planned restart .* again after it already ran as step s1/);
    assert.equal(cluster.applied, []);
    assert.is(srv.modelCalls().length, 2);
  } finally {
    await srv.stop();
  }
});

test('an approving review verdict makes the model re-plan deploy and verify: two model calls, the deploy waits for the person', async () => {
  const { srv, cluster, engine } = await setup();
  srv.enqueue(
    cleanJson({ steps: [{ id: 's1', fn: 'code-review', input: {}, dependsOn: [], why: 'the verdict decides' }], intent: 'review-then-deploy' }),
    cleanJson({ steps: [
      { id: 'r1', fn: 'deploy', input: { name: 'placemyparents', namespace: 'apps', tag: '2.0' }, dependsOn: ['s1'] },
      { id: 'r2', fn: 'verify', input: { name: 'placemyparents', namespace: 'apps' }, dependsOn: ['r1'] },
    ], intent: 'deploy-and-verify' }),
  );
  try {
    const started = await engine.start({ text: 'Review the code and deploy placemyparents 2.0 if good', context: { yes: true } });
    assert.is(started.view.status, 'awaiting-approval', started.view.summary);
    assert.equal(started.view.steps.map((s) => [s.id, s.fn, s.status]), [['s1', 'code-review', 'completed'], ['r1-r1', 'deploy', 'awaiting-approval'], ['r1-r2', 'verify', 'pending']]);
    assert.equal(cluster.applied, [], "the model's re-plan is not covered by the client's yes");
    const calls = srv.modelCalls();
    assert.is(calls.length, 2);
    assert.match(JSON.stringify(calls[1]?.body?.messages), /verdict.{0,8}approve/);
    const done = await engine.approve(started.view.runId, { token: started.token });
    assert.is(done.view.status, 'completed', done.view.summary);
    assert.equal(cluster.applied, ['deploy placemyparents image=registry.local/placemyparents:2.0']);
    assert.is(srv.modelCalls().length, 2, 'the deploy and verify results changed nothing: no third call');
  } finally {
    await srv.stop();
  }
});

test('a request-changes verdict: the model re-plans nothing, nothing is deployed and the summary says so', async () => {
  const { srv, cluster, engine } = await setup();
  cluster.review.verdict = 'request-changes';
  srv.enqueue(
    cleanJson({ steps: [{ id: 's1', fn: 'code-review', input: {}, dependsOn: [] }], intent: 'review-then-deploy' }),
    cleanJson({ steps: [], intent: 'done' }),
  );
  try {
    const { view } = await engine.start({ text: 'Review the code and deploy placemyparents 2.0 if good', context: { yes: true } });
    assert.is(view.status, 'completed', view.summary);
    assert.is(view.summary, 'verdict: request-changes; review requested changes (0 findings); placemyparents not deployed');
    assert.is(srv.modelCalls().length, 2);
    assert.match(JSON.stringify(srv.modelCalls()[1]?.body?.messages), /request-changes/);
    assert.equal(cluster.applied, []);
  } finally {
    await srv.stop();
  }
});

/** A model that looks in one more namespace after each empty answer: it never concludes on its own. */
function lookingFurther(srv: Awaited<ReturnType<typeof setup>>['srv'], namespaces: string[]) {
  srv.enqueue(...namespaces.map((namespace, i) => cleanJson({ steps: [{ id: `s${i + 1}`, fn: 'failing-pods', input: { namespace }, dependsOn: [] }] })));
}

test('GANGLION_BRAIN_MAX_REPLANS=4: the model re-plans four times, then the run stops re-planning and says why', async () => {
  const { srv, cluster, engine } = await setup({ maxReplans: loadConfig({ GANGLION_BRAIN_MAX_REPLANS: '4' }).brain.maxReplans });
  cluster.failingPods.length = 0;
  lookingFurther(srv, ['apps', 'web', 'data', 'monitoring', 'default', 'staging']);
  try {
    const { view } = await engine.start({ text: 'Find failing pods and keep looking until you find one' });
    assert.is(view.status, 'completed', view.summary);
    assert.equal(view.steps.map((s) => [s.id, s.input.namespace]), [['s1', 'apps'], ['r1-s2', 'web'], ['r2-s3', 'data'], ['r3-s4', 'monitoring'], ['r4-s5', 'default']]);
    assert.is(srv.modelCalls().length, 5, 'the plan and four re-plans; no fifth re-plan is asked');
    assert.is(view.conclusion, "stopped re-planning: the run's 4 re-plans are spent (step r4-s5 (failing-pods) found nothing)");
    assert.match(view.summary, /stopped re-planning: the run's 4 re-plans are spent/);
  } finally {
    await srv.stop();
  }
});

test('GANGLION_BRAIN_MAX_REPLANS=0: the model plans once and is never asked about results', async () => {
  const { srv, cluster, engine } = await setup({ maxReplans: loadConfig({ GANGLION_BRAIN_MAX_REPLANS: '0' }).brain.maxReplans });
  cluster.failingPods.length = 0;
  lookingFurther(srv, ['apps', 'web']);
  try {
    const { view } = await engine.start({ text: 'Find failing pods and keep looking until you find one' });
    assert.is(view.status, 'completed', view.summary);
    assert.equal(view.steps.map((s) => s.id), ['s1']);
    assert.is(srv.modelCalls().length, 1);
    assert.is(view.conclusion, 'did not re-plan: re-planning is off (GANGLION_BRAIN_MAX_REPLANS=0); step s1 (failing-pods) found nothing');
  } finally {
    await srv.stop();
  }
});

test('with the brain down the embedded planner runs the command and the run says why', async () => {
  const { srv, engine } = await setup();
  await srv.stop();
  const { view } = await engine.start({ text: 'Show me cluster status' });
  assert.is(view.status, 'completed');
  assert.is(view.planner, 'embedded');
  assert.ok(view.notes?.some((n) => /unreachable/.test(n)), String(view.notes));
});

test.after(() => sc.stop());

test.run();
