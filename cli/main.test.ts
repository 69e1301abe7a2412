import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakePlanner, type FakePlanner } from './testing/fake-planner.js';
import { runCli, type CliResult } from './testing/run-cli.js';

let fake: FakePlanner;

/** Runs the CLI in-process; `answers` are typed on a pseudo stdin that the CLI treats as a person at a terminal. */
function cli(argv: string[], { answers, env = {}, tty = false, earlyProgressMs }: { answers?: string; env?: Record<string, string>; tty?: boolean; earlyProgressMs?: number } = {}): Promise<CliResult> {
  return runCli(argv, { env: { OPENFAAS_URL: fake.url, ...env }, stdoutIsTTY: tty, pollMs: 5, ...(earlyProgressMs ? { earlyProgressMs } : {}) }, answers);
}

test.before(async () => {
  fake = await startFakePlanner();
});
test.after(async () => {
  await fake.close();
});

test('a read command prints the answer and its one-line summary, exit 0', async () => {
  const r = await cli(['Show me cluster status']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'NODES  pi-1 pi-2 pi-3');
  assert.match(r.out, '✓ 3 nodes ready, 24 pods');
  assert.equal(fake.commands.at(-1), { text: 'Show me cluster status', context: { client: 'ganglion-cli' } });
});

test('words without quotes are joined into one command', async () => {
  const r = await cli(['show', 'me', 'cluster', 'status']);
  assert.is(r.code, 0);
  assert.is(fake.commands.at(-1)?.text, 'show me cluster status');
});

test('a mutating run with no terminal to ask on exits 3, shows the change and how to approve, and applies nothing', async () => {
  const before = fake.applied.length;
  const r = await cli(['Scale the web tier to 5 replicas']);
  assert.is(r.code, 3);
  assert.match(r.out, 'deployment/web-frontend (web): replicas 3 → 5');
  assert.match(r.out, /ganglion approve run-\d+ tok-\d+/);
  assert.is(fake.applied.length, before);
});

test('the approve subcommand with the printed token applies the change, exit 0', async () => {
  const waiting = await cli(['Scale the web tier to 5 replicas']);
  const [, runId, token] = /ganglion approve (\S+) (\S+)/.exec(waiting.out) ?? [];
  const before = fake.applied.length;
  const r = await cli(['approve', runId ?? '', token ?? '']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, '✓ scale applied');
  assert.is(fake.applied.length, before + 1);
});

test('approve with a wrong token fails with the planner\'s reason and applies nothing', async () => {
  const waiting = await cli(['Scale the web tier to 5 replicas']);
  const [, runId] = /ganglion approve (\S+) (\S+)/.exec(waiting.out) ?? [];
  const before = fake.applied.length;
  const r = await cli(['approve', runId ?? '', 'not-the-token']);
  assert.is(r.code, 1);
  assert.match(r.err, 'HTTP 403');
  assert.match(r.err, 'token does not match');
  assert.is(fake.applied.length, before);
});

test('a prompt answered "n" applies nothing, rejects the run and exits 1', async () => {
  const before = fake.applied.length;
  const r = await cli(['Deploy placemyparents version 2.0'], { answers: 'n\n' });
  assert.is(r.code, 1);
  assert.match(r.out, 'deployment/placemyparents (apps): image placemyparents:1.4 → 2.0');
  assert.match(r.out, 'Apply these changes? [y/N]');
  assert.match(r.out, 'Not approved: nothing was changed.');
  assert.is(fake.applied.length, before);
  assert.is(fake.approvals.at(-1)?.status, 200, 'the rejection reached the planner with the token');
});

test('an empty answer counts as no', async () => {
  const before = fake.applied.length;
  const r = await cli(['Scale the web tier to 5 replicas'], { answers: '\n' });
  assert.is(r.code, 1);
  assert.is(fake.applied.length, before);
});

test('a prompt answered "y" approves and applies once, exit 0', async () => {
  const before = fake.applied.length;
  const r = await cli(['Deploy placemyparents version 2.0'], { answers: 'y\n' });
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, '✓ deploy applied: 1 change(s)');
  assert.equal(fake.applied.slice(before), [{ object: 'deployment/placemyparents', namespace: 'apps', field: 'image', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' }]);
});

test('--yes sends the pre-approval and the run completes without a prompt', async () => {
  const before = fake.applied.length;
  const r = await cli(['--yes', 'Scale the web tier to 5 replicas']);
  assert.is(r.code, 0, r.err);
  assert.is(fake.commands.at(-1)?.context.yes, true);
  assert.is(fake.applied.length, before + 1);
  assert.not.match(r.out, 'Apply these changes');
});

test('--json prints the run as JSON on stdout (progress stays off it) with the exit code of its status', async () => {
  const done = await cli(['--json', 'Show me cluster status']);
  assert.is(done.code, 0);
  const run = JSON.parse(done.out) as Record<string, unknown>;
  assert.is(run.status, 'completed');
  assert.ok(typeof run.runId === 'string');
  assert.ok(Array.isArray(run.steps));
  assert.is((run.steps as { fn: string }[])[0]?.fn, 'cluster-status');

  const waiting = await cli(['--json', 'Scale the web tier to 5 replicas']);
  assert.is(waiting.code, 3);
  const pending = JSON.parse(waiting.out) as { status: string; approval: { token: string; changes: unknown[] } };
  assert.is(pending.status, 'awaiting-approval');
  assert.ok(pending.approval.token.startsWith('tok-'));
  assert.match(waiting.err, 'replicas 3 → 5');
});

test('a long run shows each step as it settles, following the event stream', async () => {
  const r = await cli(['a slow command']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'Plan (embedded planner)');
  assert.match(r.out, '✓ cluster-status — 3 nodes ready');
  assert.match(r.out, '✓ failing-pods — 4 failing pods');
  assert.match(r.out, '✓ slow run finished: 2 steps');
});

test('while the planner still holds the start call, steps already show as they settle', async () => {
  fake.held.length = 0;
  const r = await cli(['a slow held command'], { earlyProgressMs: 20 });
  assert.is(r.code, 0, r.err);
  assert.equal(fake.held, ['stream-opened', 'answered'], 'the CLI followed the run before the answer came');
  assert.match(r.out, '✓ cluster-status — 3 nodes ready');
  assert.match(r.out, '✓ slow run finished: 2 steps');
  assert.is(r.out.split('✓ cluster-status').length - 1, 1, 'each step shows once');
});

test('without an event stream the CLI polls the run until it ends', async () => {
  fake.events = false;
  try {
    const r = await cli(['another slow command']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, '✓ failing-pods — 4 failing pods');
    assert.match(r.out, '✓ slow run finished');
  } finally {
    fake.events = true;
  }
});

test('a long run that reaches approval later takes its token from the event stream and applies once on "y"', async () => {
  const before = fake.applied.length;
  const r = await cli(['a slow scale of the web tier'], { answers: 'y\n' });
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, 'replicas 3 → 5');
  assert.is(fake.applied.length, before + 1);
});

test('ganglion run <id> on a run that waits, with no token at hand, says how to approve and exits 3', async () => {
  const waiting = await cli(['Scale the web tier to 5 replicas']);
  const runId = /ganglion approve (\S+)/.exec(waiting.out)?.[1] ?? '';
  const r = await cli(['run', runId]);
  assert.is(r.code, 3, r.out + r.err);
  assert.match(r.out, 'replicas 3 → 5');
  assert.match(r.out, `ganglion approve ${runId} <token>`);
});

test('a failed run prints what failed and exits 1', async () => {
  const r = await cli(['Deploy the broken thing']);
  assert.is(r.code, 1);
  assert.match(r.out, '✗ no Deployment "placemyparnts"; closest: placemyparents');
});

test('an ambiguous request prints the planner\'s question', async () => {
  const r = await cli(['scale the ambiguous web thing']);
  assert.is(r.code, 1);
  assert.match(r.out, '? Two Deployments match "web": web-frontend, web-api. Which one?');
});

test('the interactive prompt runs each line and leaves on exit', async () => {
  const r = await cli([], { answers: 'Show me cluster status\nruns\nexit\nShow me cluster status\n' });
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'ganglion> ');
  assert.match(r.out, '✓ 3 nodes ready');
  assert.match(r.out, /run-\d+\s+completed/);
  assert.is(r.out.split('✓ 3 nodes ready').length - 1, 1, 'nothing after exit ran');
});

test('no arguments and no terminal is a usage error (exit 2)', async () => {
  const r = await cli([]);
  assert.is(r.code, 2);
  assert.match(r.err, 'Usage:');
});

test('an unknown flag or missing subcommand argument is a usage error (exit 2)', async () => {
  assert.is((await cli(['--frobnicate', 'x'])).code, 2);
  const r = await cli(['approve', 'run-1']);
  assert.is(r.code, 2);
  assert.match(r.err, 'ganglion approve <run-id> <token>');
});

test('an unreachable gateway says what to do', async () => {
  const r = await cli(['Show me cluster status'], { env: { OPENFAAS_URL: 'http://127.0.0.1:1' } });
  assert.is(r.code, 1);
  assert.match(r.err, 'cannot reach the gateway at http://127.0.0.1:1 (ECONNREFUSED); start it with npm start');
});

test('--gateway wins over OPENFAAS_URL', async () => {
  const r = await cli(['--gateway', fake.url, 'Show me cluster status'], { env: { OPENFAAS_URL: 'http://127.0.0.1:1' } });
  assert.is(r.code, 0, r.err);
});

test('output has no colour when piped, colour on a terminal, none with NO_COLOR', async () => {
  const piped = await cli(['Show me cluster status']);
  assert.not.match(piped.out, '\u001b[');
  const tty = await cli(['Show me cluster status'], { tty: true });
  assert.match(tty.out, '\u001b[32m✓');
  const noColour = await cli(['Show me cluster status'], { tty: true, env: { NO_COLOR: '1' } });
  assert.not.match(noColour.out, '\u001b[');
});

test('ganglion runs lists the runs; ganglion run <id> shows one', async () => {
  await cli(['Show me cluster status']);
  const list = await cli(['runs']);
  assert.is(list.code, 0);
  const id = /(run-\d+)\s+completed/.exec(list.out)?.[1];
  assert.ok(id, list.out);
  const one = await cli(['run', id ?? '']);
  assert.is(one.code, 0);
  assert.match(one.out, '✓ 3 nodes ready');
  const missing = await cli(['run', 'run-999']);
  assert.is(missing.code, 1);
  assert.match(missing.err, 'no run run-999');
});

test('ganglion audit reads $GANGLION_HOME/audit.log when the planner serves no audit', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const empty = await cli(['audit'], { env: { GANGLION_HOME: home } });
  assert.match(empty.out, 'nothing has been changed');
  const rec = { time: '2026-11-25T12:00:00.000Z', client: 'ganglion-cli', runId: 'r1', stepId: 's1', verb: 'scale', object: 'deployment/web/web-frontend', cluster: 'ganglion-sim', before: { replicas: 3 }, after: { replicas: 5 }, result: 'applied' };
  writeFileSync(path.join(home, 'audit.log'), JSON.stringify(rec) + '\n');
  const r = await cli(['audit'], { env: { GANGLION_HOME: home } });
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'scale deployment/web/web-frontend [ganglion-sim]  replicas 3 → 5  applied');
  const many = Array.from({ length: 35 }, (_, i) => JSON.stringify({ ...rec, runId: `r${i}`, after: { replicas: i } })).join('\n');
  writeFileSync(path.join(home, 'audit.log'), many + '\n');
  const long = await cli(['audit'], { env: { GANGLION_HOME: home } });
  assert.match(long.out, '… 5 earlier records (ganglion audit --json prints all)');
  assert.match(long.out, 'replicas 3 → 34');
  assert.not.match(long.out, 'run r4 ');
  const all = await cli(['--json', 'audit'], { env: { GANGLION_HOME: home } });
  assert.is((JSON.parse(all.out) as unknown[]).length, 35);
});

test('ganglion monitors lists each monitor the monitor function serves', async () => {
  fake.monitors = [];
  assert.match((await cli(['monitors'])).out, 'No monitors yet');
  fake.monitors = [{
    id: 'pod-restarts-over-3', rule: { kind: 'restarts' }, description: 'any pod restarts more than 3 times', schedule: '*/5 * * * *', every: 'every 5 minutes',
    notify: ['slack'], scheduledBy: 'gateway', firing: [{ subject: 'pod/api-server-x1', namespace: 'apps', detail: '4 restarts', openedAt: '2026-11-25T12:00:00Z' }],
  }];
  try {
    const r = await cli(['monitors']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, 'pod-restarts-over-3');
    assert.match(r.out, 'any pod restarts more than 3 times');
    assert.match(r.out, '4 restarts');
  } finally {
    fake.monitors = undefined;
  }
});

test('a subcommand word followed by more words is read as a plain-language command', async () => {
  const r = await cli(['run', 'me', 'a', 'cluster', 'status']);
  assert.is(r.code, 0, r.err);
  assert.is(fake.commands.at(-1)?.text, 'run me a cluster status');
});

test.run();
