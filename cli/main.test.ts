import { test } from 'uvu';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as assert from 'uvu/assert';
import { startFakePlanner, type FakePlanner } from './testing/fake-planner.js';
import { runCli, type CliResult } from './testing/run-cli.js';

let fake: FakePlanner;

/** Runs the CLI in-process; `answers` are typed on a pseudo stdin that the CLI treats as a person at a terminal. */
function cli(argv: string[], { answers, env = {}, tty = false }: { answers?: string; env?: Record<string, string>; tty?: boolean } = {}): Promise<CliResult> {
  return runCli(argv, { env: { OPENFAAS_URL: fake.url, ...env }, stdoutIsTTY: tty, pollMs: 5 }, answers);
}

/** Starts a run as a client that waits for the answer (plain JSON, no Prefer): the token goes to that answer only. */
async function startWaiting(text: string): Promise<{ runId: string; token?: string }> {
  const res = await fetch(`${fake.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  const run = (await res.json()) as { runId: string; approval?: { token?: string } };
  return { runId: run.runId, ...(run.approval?.token ? { token: run.approval.token } : {}) };
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
  const sent = fake.commands.at(-1);
  assert.equal({ ...sent, id: undefined }, { id: undefined, text: 'Show me cluster status', context: { client: 'ganglion-cli' }, async: true });
});

test('the first progress line names the id the CLI sent, and the CLI follows that run\'s stream', async () => {
  const streams = fake.streams.length;
  const r = await cli(['a slow command']);
  assert.is(r.code, 0, r.err);
  const id = fake.commands.at(-1)?.id ?? '';
  assert.match(id, /^[a-z0-9]+-\d{12}$/);
  assert.is(r.out.split('\n')[0], `run ${id}`);
  assert.equal(fake.streams.slice(streams), [id], 'one stream, of its own run, opened once');
});

test('with --json the id still comes first, on stderr, and stdout holds only the run under that id', async () => {
  const r = await cli(['--json', 'a slow command']);
  assert.is(r.code, 0, r.err);
  const id = fake.commands.at(-1)?.id ?? '';
  assert.is(r.err.split('\n')[0], `run ${id}`);
  assert.is((JSON.parse(r.out) as { runId: string }).runId, id);
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
  assert.match(r.out, new RegExp(`ganglion approve ${fake.commands.at(-1)?.id} tok-\\d+`));
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

test('a long run that reaches approval takes its token from the event stream and applies once on "y"', async () => {
  const before = fake.applied.length;
  const r = await cli(['a slow scale of the web tier'], { answers: 'y\n' });
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, 'replicas 3 → 5');
  assert.is(fake.applied.length, before + 1);
});

test('ganglion run <id> on a run whose token went to the client that started it says how to approve and exits 3', async () => {
  const { runId, token } = await startWaiting('Scale the web tier to 5 replicas');
  assert.ok(token, 'the waiting client got the token');
  const r = await cli(['run', runId]);
  assert.is(r.code, 3, r.out + r.err);
  assert.match(r.out, 'replicas 3 → 5');
  assert.match(r.out, `an approver approves it with: ganglion approve ${runId}`);
  assert.not.match(r.out, token ?? '?');
});

test('ganglion run <id> on a run the CLI left waiting takes the token from the stream and asks', async () => {
  const waiting = await cli(['Scale the web tier to 5 replicas']);
  assert.is(waiting.code, 3);
  const runId = fake.commands.at(-1)?.id ?? '';
  const before = fake.applied.length;
  const r = await cli(['run', runId], { answers: 'y\n' });
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, 'Apply these changes? [y/N]');
  assert.is(fake.applied.length, before + 1);
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
  assert.match(r.out, /\S+-\d+\s+completed/);
  assert.is(r.out.split('✓ 3 nodes ready').length - 1, 1, 'nothing after exit ran');
});

test('at the prompt a line is a plain-language command unless it is exactly a subcommand: "run tests" goes to the planner', async () => {
  const sent = fake.commands.length;
  // The fake plans a change for most of these, so each of those asks first: answer "n".
  const r = await cli([], { answers: 'run tests\nn\nrun smoke-tests\nn\napprove the deploy\nn\nhelp me scale the ambiguous web\nrun\nn\nexit\n' });
  assert.equal(fake.commands.slice(sent).map((c) => c.text), ['run tests', 'run smoke-tests', 'approve the deploy', 'help me scale the ambiguous web', 'run']);
  assert.not.match(r.err, 'no run tests');
  assert.not.match(r.out, 'Subcommands:', 'help with more words is not the help subcommand');
});

test('at the prompt an exact subcommand form still runs it', async () => {
  const { runId } = await startWaiting('Show me cluster status');
  const sent = fake.commands.length;
  const r = await cli([], { answers: `run ${runId}\nruns\nhelp\nexit\n` });
  assert.is(r.code, 0, r.err);
  assert.is(fake.commands.length, sent, 'nothing went to the planner as a command');
  assert.match(r.out, '✓ 3 nodes ready');
  assert.match(r.out, new RegExp(`${runId}\\s+completed`));
  assert.match(r.out, 'Subcommands:');
});

test('no arguments and no terminal is a usage error (exit 2)', async () => {
  const r = await cli([]);
  assert.is(r.code, 2);
  assert.match(r.err, 'Usage:');
});

test('an unknown flag or missing subcommand argument is a usage error (exit 2)', async () => {
  assert.is((await cli(['--frobnicate', 'x'])).code, 2);
  const r = await cli(['reject']);
  assert.is(r.code, 2);
  assert.match(r.err, 'ganglion reject <run-id> [token]');
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
  const id = /^(\S+)\s+completed/m.exec(list.out)?.[1];
  assert.ok(id, list.out);
  const one = await cli(['run', id ?? '']);
  assert.is(one.code, 0);
  assert.match(one.out, '✓ 3 nodes ready');
  const missing = await cli(['run', 'run-000999']);
  assert.is(missing.code, 1);
  assert.match(missing.err, 'no run run-000999');
});

test('ganglion audit follows the planner\'s pages and shows the newest records, saying how many are left out', async () => {
  fake.audit.length = 0;
  const empty = await cli(['audit']);
  assert.is(empty.code, 0, empty.err);
  assert.match(empty.out, 'The audit log is empty: nothing has been changed.');
  const rec = { time: '2026-11-25T12:00:00.000Z', client: 'ganglion-cli', runId: 'r1', stepId: 's1', verb: 'scale', object: 'deployment/web/web-frontend', cluster: 'ganglion-sim', before: { replicas: 3 }, after: { replicas: 5 }, result: 'applied' };
  fake.audit.push(rec);
  const one = await cli(['audit']);
  assert.match(one.out, 'scale deployment/web/web-frontend [ganglion-sim]  replicas 3 → 5  applied');
  fake.audit.length = 0;
  // more than one page of 1000: the newest are on the last page
  fake.audit.push(...Array.from({ length: 2100 }, (_, i) => ({ ...rec, runId: `r${i}`, after: { replicas: i } })));
  const long = await cli(['audit']);
  assert.match(long.out, '… 2070 earlier records (ganglion audit --limit <n> shows more)');
  assert.match(long.out, 'replicas 3 → 2099');
  assert.not.match(long.out, 'run r2069 ');
  assert.match(long.out, 'run r2070 ');
  const five = await cli(['--limit', '5', 'audit']);
  assert.is(five.out.split('\n').filter((l) => l.includes('replicas 3 →')).length, 5);
  assert.match(five.out, '… 2095 earlier records');
  const all = await cli(['--json', 'audit']);
  assert.is((JSON.parse(all.out) as unknown[]).length, 2100);
  const bad = await cli(['--limit', 'lots', 'audit']);
  assert.is(bad.code, 2);
  assert.match(bad.err, '--limit needs a whole number');
});

test('ganglion audit never reads the disk: with no planner it fails saying what to do', async () => {
  const r = await cli(['audit'], { env: { OPENFAAS_URL: 'http://127.0.0.1:1' } });
  assert.is(r.code, 1);
  assert.match(r.err, 'cannot reach the gateway at http://127.0.0.1:1');
});

test('an approval through the CLI shows up in ganglion audit', async () => {
  fake.audit.length = 0;
  await cli(['--yes', 'Scale the web tier to 5 replicas']);
  const r = await cli(['audit']);
  assert.match(r.out, 'replicas 3 → 5  applied');
  assert.match(r.out, `run ${fake.commands.at(-1)?.id} by ganglion-cli`);
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

test('ganglion monitors with no gateway answering fails and says where the monitors are, instead of reading this machine', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const r = await cli(['monitors'], { env: { OPENFAAS_URL: `http://127.0.0.1:${port}` } });
  assert.is.not(r.code, 0);
  assert.match(r.err, /cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+ .*kubectl get monitors -n ganglion/);
  assert.not.match(r.out, 'No monitors yet');
});

test('a subcommand word followed by more words is read as a plain-language command', async () => {
  const r = await cli(['run', 'me', 'a', 'cluster', 'status']);
  assert.is(r.code, 0, r.err);
  assert.is(fake.commands.at(-1)?.text, 'run me a cluster status');
});

test.run();
