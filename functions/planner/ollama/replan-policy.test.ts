/** Which results are worth a re-plan, and which re-planned steps are loops. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackCatalog } from '../../../testing/ollama-server/stack-catalog.js';
import type { StepOutcome } from '../plan.js';
import { repeatedStep, surprise } from './replan-policy.js';

const outcome = (o: Partial<StepOutcome>): StepOutcome => ({ stepId: 's1', fn: 'failing-pods', status: 'completed', summary: '', ...o });

test('a failure, an empty result and a review verdict are surprises; a normal result is not', () => {
  assert.match(surprise(outcome({ status: 'failed', error: { code: 'not_found', message: 'no pod matches "api"' } })) ?? '', /failed: no pod matches/);
  assert.match(surprise(outcome({ data: { pods: [] } })) ?? '', /found nothing/);
  assert.match(surprise(outcome({ data: { total: 0 } })) ?? '', /found nothing/);
  assert.match(surprise(outcome({ fn: 'code-review', data: { verdict: 'request-changes', findings: [1] } })) ?? '', /verdict "request-changes"/);
  assert.is(surprise(outcome({ data: { pods: [{ name: 'api-server-x' }], total: 1 } })), undefined);
  assert.is(surprise(outcome({ data: 'text' })), undefined);
});

test('a re-planned step equal to one that ran, once defaults are filled in, is a loop', () => {
  const ran = [{ id: 's1', fn: 'pod-logs', input: { name: 'api-server' } }];
  const again = { steps: [{ id: 'r1', fn: 'pod-logs', input: { name: 'api-server', tailLines: 100 }, dependsOn: [], mutates: false }] };
  assert.equal(repeatedStep(again, ran, stackCatalog)?.ranAs, 's1');
  const other = { steps: [{ id: 'r1', fn: 'pod-logs', input: { name: 'api-server', tailLines: 500 }, dependsOn: [], mutates: false }] };
  assert.is(repeatedStep(other, ran, stackCatalog), undefined);
});

test.run();
