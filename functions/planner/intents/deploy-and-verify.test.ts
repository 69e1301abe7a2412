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

test('with a version it deploys that version, verifies, and plans the rollback to what serves now only if verify fails', async () => {
  const out = await plan('deploy my app version 2.0 and verify it works');
  const target = { name: 'placemyparents', namespace: 'apps' };
  assert.equal(out.plan.steps.map((s) => [s.id, s.fn, s.input, s.dependsOn, s.onFailureOf]), [
    ['s1', 'deploy', { ...target, tag: '2.0' }, [], undefined],
    ['s2', 'verify', target, ['s1'], undefined],
    ['s3', 'deploy', { ...target, image: 'registry.local/placemyparents:1.4' }, ['s1'], 's2'],
    ['s4', 'verify', target, ['s3'], undefined],
  ]);
  assert.match(out.plan.steps[2]?.why ?? '', /roll back to placemyparents:1\.4, what serves now, if verify fails/);
});

test('after verify failed and the rollback verified, the run ends saying what serves again, with the smoke test', async () => {
  const text = 'Deploy placemyparents version 2.1 and verify it works';
  const first = await plan(text);
  const results = [
    { stepId: 's1', fn: 'deploy', status: 'completed' as const, summary: 'set image 1.4 → 2.1' },
    { stepId: 's2', fn: 'verify', status: 'failed' as const, summary: '', error: { code: 'verify_failed', message: 'Smoke test FAILED: HTTP 500' } },
    { stepId: 's3', fn: 'deploy', status: 'completed' as const, summary: 'set image 2.1 → 1.4' },
    { stepId: 's4', fn: 'verify', status: 'completed' as const, summary: 'verified', data: { smoke: { httpStatus: 200, ms: 7 } } },
  ];
  const next = await planner.replan?.({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal, plan: first.plan, results, changes: [{ stepId: 's2', why: 'failed' }] });
  assert.equal(next?.plan.steps, []);
  assert.is(next?.plan.conclusion, 'verify failed, so placemyparents was rolled back under the same approval: placemyparents:1.4 is serving again (smoke test HTTP 200 in 7 ms)');
});

test('"Review the code and deploy if good": an approving review adds the redeploy and verify, once', async () => {
  const text = 'Review the code and deploy if good';
  const first = await plan(text);
  assert.equal(first.plan.steps.map((s) => s.fn), ['code-review']);
  const results = [{ stepId: 's1', fn: 'code-review', status: 'completed' as const, summary: 'approve', data: { verdict: 'approve' } }];
  const changes = [{ stepId: 's1', why: 'step s1 (code-review) gave the verdict "approve"' }];
  const next = await planner.replan?.({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal, plan: first.plan, results, changes });
  assert.equal(next?.plan.steps.map((s) => s.fn), ['restart', 'verify'], 'a restart has nothing to undo');
  const again = await planner.replan?.({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal, plan: { steps: [...first.plan.steps, ...(next?.plan.steps ?? []).map((s) => ({ ...s, id: `r1-${s.id}` }))] }, results, changes });
  assert.is(again, undefined);
});

test('a plain "deploy X" without a version still asks which version', async () => {
  assert.match((await plan('deploy placemyparents')).plan.question ?? '', /Which version of placemyparents/);
});

test.run();
