import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic-write.js';

const test = suite('atomic-write');
const fresh = () => mkdtempSync(path.join(os.tmpdir(), 'atomic-write-'));

test('writes the file, creating its directory, and replaces what was there without leaving a temp file', () => {
  const file = path.join(fresh(), 'runs', 'r1.json');
  assert.is(writeFileAtomic(file, '{"v":1}'), true);
  assert.is(writeFileAtomic(file, '{"v":2}'), true);
  assert.is(readFileSync(file, 'utf8'), '{"v":2}');
  assert.equal(readdirSync(path.dirname(file)), ['r1.json']);
});

test('a new file gets the mode asked for', () => {
  if (process.platform === 'win32') return;
  const file = path.join(fresh(), 'approval-key');
  writeFileAtomic(file, 'secret', { mode: 0o600 });
  assert.is(statSync(file).mode & 0o777, 0o600);
});

test('exclusive leaves an existing file alone and says so: the first of two writers wins', () => {
  const file = path.join(fresh(), 'approval-key');
  assert.is(writeFileAtomic(file, 'first', { exclusive: true }), true);
  assert.is(writeFileAtomic(file, 'second', { exclusive: true }), false);
  assert.is(readFileSync(file, 'utf8'), 'first');
  assert.equal(readdirSync(path.dirname(file)), ['approval-key']);
});

test('a write that fails leaves what was there and no temp file behind', () => {
  const dir = fresh();
  const target = path.join(dir, 'state.json');
  mkdirSync(target);
  writeFileSync(path.join(target, 'inside'), 'x');
  assert.throws(() => writeFileAtomic(target, '{}'));
  assert.ok(statSync(target).isDirectory());
  assert.equal(readdirSync(dir), ['state.json']);
});

test('a writer killed mid-stream leaves a whole file: the old content or the new, never a torn one', async () => {
  const file = path.join(fresh(), 'state.json');
  const module = fileURLToPath(new URL('./atomic-write.js', import.meta.url));
  const script = `import { writeFileAtomic } from ${JSON.stringify(module)};
for (let i = 0; ; i++) writeFileAtomic(${JSON.stringify(file)}, JSON.stringify({ i, pad: 'x'.repeat(256 * 1024) }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  for (let i = 0; i < 400 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { i: number; pad: string };
  assert.ok(saved.i >= 0);
  assert.is(saved.pad.length, 256 * 1024);
});

test.run();
