import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarisePod } from './pod-printer.js';
import { humanDuration } from './human-duration.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const pod = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', ...extra }, spec: { containers: [{ name: 'a' }], initContainers: extra.init ? [{ name: 'init' }] : undefined }, status,
});
const cs = (state: Record<string, unknown>, more: Record<string, unknown> = {}) => ({ containerStatuses: [{ name: 'a', restartCount: 0, ready: false, state, ...more }] });

const cases: [string, Record<string, unknown>, string, Record<string, unknown>?][] = [
  ['a ready running container', { phase: 'Running', ...cs({ running: {} }, { ready: true }) }, 'Running'],
  ['a waiting container shows its reason', { phase: 'Running', ...cs({ waiting: { reason: 'CrashLoopBackOff' } }) }, 'CrashLoopBackOff'],
  ['an image pull back-off', { phase: 'Pending', ...cs({ waiting: { reason: 'ImagePullBackOff' } }) }, 'ImagePullBackOff'],
  ['a terminated container shows its reason', { phase: 'Running', ...cs({ terminated: { reason: 'OOMKilled', exitCode: 137 } }) }, 'OOMKilled'],
  ['a terminated container without reason shows its exit code', { phase: 'Failed', ...cs({ terminated: { exitCode: 2 } }) }, 'ExitCode:2'],
  ['a completed pod', { phase: 'Succeeded', ...cs({ terminated: { reason: 'Completed', exitCode: 0 } }) }, 'Completed'],
  ['an unscheduled pod is Pending', { phase: 'Pending' }, 'Pending'],
  ['an evicted pod shows the pod reason', { phase: 'Failed', reason: 'Evicted' }, 'Evicted'],
  ['a deleted running pod is Terminating', { phase: 'Running', ...cs({ running: {} }, { ready: true }) }, 'Terminating', { deletionTimestamp: '2026-01-01T12:00:00Z' }],
  ['a failing init container', { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, 'Init:CrashLoopBackOff', { init: true }],
  ['a running init container', { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: { running: {} } }] }, 'Init:0/1', { init: true }],
];

for (const [name, status, expected, extra] of cases) {
  test(`STATUS of ${name} is ${expected}`, () => {
    assert.is(summarisePod(pod(status, extra), now).status, expected);
  });
}

test('READY counts ready running containers and RESTARTS says when the last one was', () => {
  const s = summarisePod(pod({ phase: 'Running', ...cs({ running: {} }, { ready: true, restartCount: 4, lastState: { terminated: { finishedAt: '2026-01-01T11:58:30Z' } } }) }), now);
  assert.is(s.ready, '1/1');
  assert.is(s.restarts, '4 (90s ago)');
});

test('ages print like kubectl', () => {
  assert.equal([5e3, 125e3, 600e3, 3 * 3600e3 + 60e3, 30 * 3600e3, 3 * 86400e3 + 4 * 3600e3, 400 * 86400e3, 3 * 365 * 86400e3].map(humanDuration),
    ['5s', '2m5s', '10m', '3h1m', '30h', '3d4h', '400d', '3y']);
});

test.run();
