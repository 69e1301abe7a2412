import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyRunEvent } from './run-events.js';

const applyRun = suite('applyRunEvent');
const ev = (event: string, data: unknown) => ({ event, data: JSON.stringify(data) });
const started = { runId: 'r-000001', status: 'running', summary: 'planning', steps: [] };

applyRun('a plan event gives the run its steps and planner', () => {
  const run = applyRunEvent(started, ev('plan', { runId: 'r-000001', planner: 'embedded', steps: [{ id: 's1', fn: 'scale', status: 'pending' }] }));
  assert.equal(run.steps, [{ id: 's1', fn: 'scale', status: 'pending' }]);
  assert.is(run.planner, 'embedded');
  assert.is(run.status, 'running');
});

applyRun('a step event changes only that step\'s status and summary', () => {
  const planned = { ...started, steps: [{ id: 's1', fn: 'a', status: 'pending', mutates: true }, { id: 's2', fn: 'b', status: 'pending' }] };
  const run = applyRunEvent(planned, ev('step', { runId: 'r-000001', stepId: 's1', fn: 'a', status: 'completed', summary: 'done a' }));
  assert.equal(run.steps, [{ id: 's1', fn: 'a', status: 'completed', mutates: true, summary: 'done a' }, { id: 's2', fn: 'b', status: 'pending' }]);
  assert.equal(planned.steps[0]?.status, 'pending', 'the run before stays as it was');
});

applyRun('awaiting-approval stops the run with its changes and, when the stream carries it, the token', () => {
  const changes = [{ object: 'deployment/web', field: 'replicas', before: 3, after: 5 }];
  const run = applyRunEvent(started, ev('awaiting-approval', { runId: 'r-000001', changes, approveUrl: '/a', token: 'tok' }));
  assert.is(run.status, 'awaiting-approval');
  assert.equal(run.approval, { changes, approveUrl: '/a', token: 'tok' });
  assert.equal(applyRunEvent(started, ev('awaiting-approval', { runId: 'r-000001', changes, approveUrl: '/a' })).approval, { changes, approveUrl: '/a' });
});

applyRun('done replaces the run with the final one; a done that is not a run, or data that is not JSON, changes nothing', () => {
  const final = { runId: 'r-000001', status: 'completed', summary: 'ok', steps: [] };
  assert.equal(applyRunEvent(started, ev('done', final)), final);
  assert.equal(applyRunEvent(started, ev('done', { nope: true })), started);
  assert.equal(applyRunEvent(started, { event: 'step', data: 'not json' }), started);
  assert.equal(applyRunEvent(started, ev('message', { status: 'failed' })), started);
});

applyRun.run();
