import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEmbeddedPlanner } from '../embedded-planner.js';
import { homeLabFacts } from '../testing/home-lab-facts.js';

const planner = createEmbeddedPlanner();
const plan = (text: string) => planner.plan({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal });

test('"Deploy my app and verify it works" names no version: it rolls out the current image again, then verifies', async () => {
  const out = await plan('Deploy my app and verify it works');
  assert.equal(out.plan.steps.map((s) => [s.id, s.fn, s.input, s.dependsOn, s.mutates]), [
    ['s1', 'restart', { name: 'placemyparents', namespace: 'apps' }, [], true],
    ['s2', 'verify', { name: 'placemyparents', namespace: 'apps' }, ['s1'], false],
  ]);
  assert.match(out.plan.steps[0]?.why ?? '', /no version named: roll out placemyparents's current image \(registry\.local\/placemyparents:1\.4\) again/);
});

test('with a version it deploys that version, then verifies', async () => {
  const out = await plan('deploy my app version 2.0 and verify it works');
  assert.equal(out.plan.steps.map((s) => [s.fn, s.input]), [['deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0' }], ['verify', { name: 'placemyparents', namespace: 'apps' }]]);
});

test('"Review the code and deploy if good": an approving review adds the redeploy and verify, once', async () => {
  const text = 'Review the code and deploy if good';
  const first = await plan(text);
  assert.equal(first.plan.steps.map((s) => s.fn), ['code-review']);
  const results = [{ stepId: 's1', fn: 'code-review', status: 'completed' as const, summary: 'approve', data: { verdict: 'approve' } }];
  const changes = [{ stepId: 's1', why: 'step s1 (code-review) gave the verdict "approve"' }];
  const next = await planner.replan?.({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal, plan: first.plan, results, changes });
  assert.equal(next?.plan.steps.map((s) => s.fn), ['restart', 'verify']);
  const again = await planner.replan?.({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal, plan: { steps: [...first.plan.steps, ...(next?.plan.steps ?? []).map((s) => ({ ...s, id: `r1-${s.id}` }))] }, results, changes });
  assert.is(again, undefined);
});

test('a plain "deploy X" without a version still asks which version', async () => {
  assert.match((await plan('deploy placemyparents')).plan.question ?? '', /Which version of placemyparents/);
});

test.run();
