/** The CLI as a person meets it: the real binary on a real pseudo-terminal (util-linux `script`), and piped. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakePlanner, type FakePlanner } from './testing/fake-planner.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ganglion.js');
let fake: FakePlanner;

test.before(async () => {
  fake = await startFakePlanner();
});
test.after(async () => {
  await fake.close();
});

/**
 * Runs `command` (a shell line) under `script`, so the CLI's stdin and stdout are a terminal. Like a person (or
 * expect), it types each answer only once its prompt is on the screen, and keeps the terminal open until the end.
 */
function onTerminal(command: string, script: [prompt: string, typed: string][]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, OPENFAAS_URL: fake.url, NO_COLOR: '1', TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let seen = 0;
    const steps = [...script];
    const typeWhenPrompted = () => {
      const next = steps[0];
      if (!next) return;
      const at = out.indexOf(next[0], seen);
      if (at === -1) return;
      seen = at + next[0].length;
      steps.shift();
      child.stdin.write(next[1]);
      typeWhenPrompted();
    };
    child.stdout.on('data', (d) => {
      out += d;
      typeWhenPrompted();
    });
    child.stderr.on('data', (d) => (out += d));
    // A hang must fail with what was on the screen, not stall the runner.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      child.stdin.destroy();
      resolve({ code, out });
    });
  });
}

function piped(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, OPENFAAS_URL: fake.url }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end();
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('util-linux script is there to give the CLI a real terminal', () => {
  assert.ok(execFileSync('script', ['--version']).toString().includes('script'));
});

test('on a terminal, the y/N prompt answered "n" applies nothing and the CLI exits 1', async () => {
  const before = fake.applied.length;
  const r = await onTerminal(`node ${bin} 'Scale the web tier to 5 replicas'; echo "EXIT=$?"`, [['[y/N]', 'n\r']]);
  assert.match(r.out, 'replicas 3 → 5');
  assert.match(r.out, 'Apply these changes? [y/N]');
  assert.match(r.out, 'Not approved: nothing was changed.');
  assert.match(r.out, 'EXIT=1');
  assert.is(fake.applied.length, before);
});

test('on a terminal, "y" applies the change once and the CLI exits 0', async () => {
  const before = fake.applied.length;
  const r = await onTerminal(`node ${bin} 'Scale the web tier to 5 replicas'; echo "EXIT=$?"`, [['[y/N]', 'y\r']]);
  assert.match(r.out, 'EXIT=0');
  assert.is(fake.applied.length, before + 1);
});

test('with no arguments on a terminal, ganglion opens the prompt and runs what is typed', async () => {
  const r = await onTerminal(`node ${bin}; echo "EXIT=$?"`, [['ganglion> ', 'Show me cluster status\r'], ['ganglion> ', 'exit\r']]);
  assert.match(r.out, 'ganglion> ');
  assert.match(r.out, '✓ 3 nodes ready');
  assert.match(r.out, 'EXIT=0');
});

test('with stdin not a terminal, a run that needs approval exits 3 and says how to approve', async () => {
  const before = fake.applied.length;
  const r = await piped(['Deploy placemyparents version 2.0']);
  assert.is(r.code, 3, r.out + r.err);
  assert.match(r.out, new RegExp(`Approve with: ganglion approve ${fake.commands.at(-1)?.id} tok-\\d+`));
  assert.not.match(r.out, '\u001b[', 'no colour when piped');
  assert.is(fake.applied.length, before);
});

test('with stdin not a terminal and no command, ganglion prints usage and exits 2', async () => {
  const r = await piped([]);
  assert.is(r.code, 2);
  assert.match(r.err, 'Usage:');
});

test.run();
