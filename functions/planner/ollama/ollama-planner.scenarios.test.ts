/** Every seed command of scenarios.md is planned in one model call (deploy-and-verify style in at most two), counted by the test server. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { homeLabFacts } from '../testing/home-lab-facts.js';
import { startOllamaServer } from '../../../testing/ollama-server/ollama-server.js';
import { fakeEmbeddedPlanner } from '../../../testing/ollama-server/recording-planner.js';
import { stackCatalog } from '../../../testing/ollama-server/stack-catalog.js';
import { playRun, seedModel, seedScenarios, threeClusterFacts } from '../../../testing/ollama-server/seed-scenarios.js';
import { createOllamaPlanner } from './ollama-planner.js';
import { checkPlan } from '../plan-check.js';

const TIERS = ['llama3.1:405b', 'llama3.1:70b', 'llama3.1:8b'];

test('every scripted seed plan and re-plan is valid against the real stack.yml schemas', () => {
  const facts = threeClusterFacts(homeLabFacts());
  for (const sc of seedScenarios) {
    const first = checkPlan(sc.plan, { catalog: stackCatalog, facts });
    assert.ok(first.ok, `${sc.command}: ${first.ok ? '' : first.error}`);
    if (sc.replan) {
      const again = checkPlan(sc.replan, { catalog: stackCatalog, facts, existing: sc.plan.steps.map((s) => s.id) });
      assert.ok(again.ok, `${sc.command} (re-plan): ${again.ok ? '' : again.error}`);
    }
  }
  // Monitors, reports and the CI pipeline are always-on work, set up through automate.
  const fnOf = (command: string) => seedScenarios.find((x) => x.command === command)?.plan.steps.map((s) => s.fn);
  assert.equal(fnOf('Alert me if any pod restarts more than 3 times'), ['automate']);
  assert.equal(fnOf('Generate a weekly infrastructure report'), ['automate']);
  assert.equal(fnOf('When main branch updates, test and deploy automatically'), ['automate']);
});

test('each seed command is planned by the model in one call, validated, with mutating steps marked from the catalog', async () => {
  const srv = await startOllamaServer({ models: TIERS.map((name) => ({ name })) });
  srv.respond(seedModel);
  const fallback = fakeEmbeddedPlanner();
  const planner = createOllamaPlanner({ host: srv.url, models: TIERS, fallback });
  const facts = threeClusterFacts(homeLabFacts());
  try {
    for (const sc of seedScenarios) {
      const before = srv.modelCalls().length;
      const out = await planner.plan({ text: sc.command, catalog: stackCatalog, facts, signal: new AbortController().signal });
      assert.is(srv.modelCalls().length - before, 1, sc.command);
      assert.is(out.modelCalls, 1, sc.command);
      assert.ok(TIERS.includes(out.planner), `${sc.command}: planned by ${out.planner} (${out.notes?.join('; ')})`);
      assert.equal(out.plan.steps.map((s) => s.fn), sc.plan.steps.map((s) => s.fn), sc.command);
      for (const step of out.plan.steps) assert.is(step.mutates, stackCatalog.find((m) => m.name === step.fn)?.mutates, `${sc.command}: ${step.fn}`);
    }
    assert.equal(fallback.asked, []);
  } finally {
    await srv.stop();
  }
});

test('a single read goes to the smallest tier and review-then-deploy to the largest', async () => {
  const srv = await startOllamaServer({ models: TIERS.map((name) => ({ name })) });
  srv.respond(seedModel);
  const planner = createOllamaPlanner({ host: srv.url, models: TIERS });
  const ask = (text: string) => planner.plan({ text, catalog: stackCatalog, facts: homeLabFacts(), signal: new AbortController().signal });
  try {
    assert.is((await ask('Show me cluster status')).planner, 'llama3.1:8b');
    assert.is((await ask('Deploy placemyparents version 2.0')).planner, 'llama3.1:70b');
    assert.is((await ask('Review the code and deploy if good')).planner, 'llama3.1:405b');
  } finally {
    await srv.stop();
  }
});

test('deploy-and-verify style requests take at most two model calls, the second a re-plan on the review verdict', async () => {
  const srv = await startOllamaServer({ models: TIERS.map((name) => ({ name })) });
  srv.respond(seedModel);
  const planner = createOllamaPlanner({ host: srv.url, models: TIERS, fallback: fakeEmbeddedPlanner() });
  const facts = homeLabFacts();
  try {
    for (const text of ['Deploy my app and verify it works', 'Review the code and deploy if good', 'When main branch updates, test and deploy automatically']) {
      const before = srv.modelCalls().length;
      const req = { text, catalog: stackCatalog, facts, signal: new AbortController().signal };
      const plan = await playRun(planner, req);
      const calls = srv.modelCalls().length - before;
      assert.ok(calls <= 2, `${text}: ${calls} model calls`);
      if (text.startsWith('Review')) {
        assert.is(calls, 2);
        assert.equal(plan.steps.map((s) => `${s.id}:${s.fn}:${s.mutates}`), ['s1:code-review:false', 'r1:deploy:true', 'r2:verify:false']);
      }
    }
  } finally {
    await srv.stop();
  }
});

test.run();
