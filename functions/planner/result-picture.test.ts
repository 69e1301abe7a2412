/** Which results change the picture (worth a re-plan), and which re-planned steps repeat one that ran. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackCatalog } from '../../testing/ollama-server/stack-catalog.js';
import type { StepOutcome } from './plan.js';
import { pictureChange, repeatedRun, verdictOf } from './result-picture.js';

const ok = (data: unknown, fn = 'failing-pods'): StepOutcome => ({ stepId: 's1', fn, status: 'completed', summary: '', data });

test('failures, empty results and review verdicts change the picture; results with something in them do not', () => {
  const table: [StepOutcome, RegExp | undefined][] = [
    [{ stepId: 's1', fn: 'restart', status: 'failed', summary: '', error: { code: 'not_found', message: 'no Deployment redis' } }, /^step s1 \(restart\) failed: no Deployment redis$/],
    [{ stepId: 's1', fn: 'restart', status: 'failed', summary: '' }, /^step s1 \(restart\) failed$/],
    [ok({ verdict: 'request-changes', findings: [{ line: 3 }] }, 'code-review'), /gave the verdict "request-changes"/],
    [ok({ verdict: 'approve', findings: [] }, 'code-review'), /gave the verdict "approve"/],
    [ok({ pods: [] }), /^step s1 \(failing-pods\) found nothing$/],
    [ok([]), /found nothing/],
    [ok({}), /found nothing/],
    [ok({ total: 0 }), /found nothing/],
    [ok({ pods: [], count: 0 }), /found nothing/],
    [ok({ pods: [{ name: 'api-server-x' }], total: 1 }), undefined],
    [ok({ pods: [], count: 2 }), undefined],
    [ok({ deployments: 0 }), undefined],
    [ok({ ok: true }), undefined],
    [ok('plain text'), undefined],
    [ok(undefined), undefined],
    [ok(null), undefined],
  ];
  for (const [outcome, want] of table) {
    const got = pictureChange(outcome);
    if (want) assert.match(got ?? '(none)', want, JSON.stringify(outcome));
    else assert.is(got, undefined, JSON.stringify(outcome));
  }
});

test('a verdict is read only from a string field of an object', () => {
  assert.is(verdictOf({ verdict: 'approve' }), 'approve');
  assert.is(verdictOf({ verdict: 1 }), undefined);
  assert.is(verdictOf([{ verdict: 'approve' }]), undefined);
  assert.is(verdictOf(undefined), undefined);
});

test('a new step equal to one that ran, once the schema fills defaults and dryRun is set aside, is a repeat', () => {
  const ran = [{ id: 's1', fn: 'pod-logs', input: { name: 'api-server' } }, { id: 's2', fn: 'deploy', input: { name: 'placemyparents', tag: '2.0' } }];
  assert.equal(repeatedRun([{ id: 'x', fn: 'pod-logs', input: { name: 'api-server', tailLines: 100 } }], ran, stackCatalog)?.ranAs, 's1');
  assert.equal(repeatedRun([{ id: 'x', fn: 'deploy', input: { tag: '2.0', name: 'placemyparents', dryRun: true } }], ran, stackCatalog)?.ranAs, 's2');
  assert.is(repeatedRun([{ id: 'x', fn: 'pod-logs', input: { name: 'api-server', tailLines: 500 } }], ran, stackCatalog), undefined);
  assert.is(repeatedRun([{ id: 'x', fn: 'verify', input: { name: 'placemyparents' } }], ran, stackCatalog), undefined);
});

test.run();
