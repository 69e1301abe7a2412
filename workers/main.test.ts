import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findResultLine, formatResultLine } from '../events/worker-result.js';
import { demoRepo } from './role-harness.js';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js');
const worker = (...args: string[]) => spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });

test('the last stdout line is the CloudEvent-shaped result; progress goes to stderr; exit 0 when completed', () => {
  const r = worker('code-review', '--repo', demoRepo());
  assert.is(r.status, 0, r.stderr);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  const ev = JSON.parse(last) as { specversion: string; type: string; source: string; data: { summary: string } };
  assert.equal([ev.specversion, ev.type, ev.source], ['1.0', 'dev.ganglion.step.completed', '/ganglion/worker/code-review']);
  assert.match(ev.data.summary, 'Review: approve');
  assert.match(r.stderr, /^\[code-review\] reviewing [0-9a-f]{12} "Match parents/m);
  assert.not.match(r.stdout, '[code-review]');
});

test('an unknown role or a bad flag: a failed result line saying what is allowed, exit 1', () => {
  const r = worker('deploy-everything');
  assert.is(r.status, 1);
  const ev = findResultLine(r.stdout);
  assert.is(ev?.type, 'dev.ganglion.step.failed');
  assert.match(JSON.stringify(ev), 'unknown worker role \\"deploy-everything\\"; roles: code-review, run-tests, coverage, verify');
  assert.is(worker('run-tests', '--colour', 'x').status, 1);
});

test('findResultLine takes the last result event and ignores test output that merely looks like JSON', () => {
  const done = formatResultLine('run-tests', { type: 'dev.ganglion.step.completed', data: { summary: 'second', data: {} } });
  const log = `{"not":"a result"}\n${formatResultLine('run-tests', { type: 'dev.ganglion.step.completed', data: { summary: 'first', data: {} } })}\n# tests 3\n${done}\n`;
  const ev = findResultLine(log);
  assert.is(ev?.type === 'dev.ganglion.step.completed' ? ev.data.summary : '', 'second');
  assert.is(findResultLine('{"type":"dev.ganglion.step.completed"}\nplain\n'), undefined);
});

test.run();
