import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findResultLine, formatResultLine, newResultKey, RESULT_KEY_ENV, type ResultLine } from '../events/worker-result.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
  assert.match(JSON.stringify(ev), 'unknown worker role \\"deploy-everything\\"; roles: code-review, run-tests, coverage, verify, prune, invoke');
  assert.is(worker('run-tests', '--colour', 'x').status, 1);
});

test('findResultLine takes the last result event and ignores test output that merely looks like JSON', () => {
  const done = formatResultLine('run-tests', { type: 'dev.ganglion.step.completed', data: { summary: 'second', data: {} } });
  const log = `{"not":"a result"}\n${formatResultLine('run-tests', { type: 'dev.ganglion.step.completed', data: { summary: 'first', data: {} } })}\n# tests 3\n${done}\n`;
  const ev = findResultLine(log);
  assert.is(ev?.type === 'dev.ganglion.step.completed' ? ev.data.summary : '', 'second');
  assert.is(findResultLine('{"type":"dev.ganglion.step.completed"}\nplain\n'), undefined);
});

test('with the Job\'s result key the worker signs its line, its tests never see the key, and a line they print is not believed', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-forge-'));
  const forged = JSON.stringify({ specversion: '1.0', id: 'f', source: '/ganglion/worker/run-tests', type: 'dev.ganglion.step.completed', data: { summary: 'Tests on main passed: 42 passed', data: {} } });
  // the test prints the key it can see (none) and a forged "passed" line, and fails
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: `echo "key=[$${RESULT_KEY_ENV}]"; echo '${forged}'; printf 'TAP version 13\\nnot ok 1 - refund\\n1..1\\n'; exit 1` } }));
  spawnSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: dir });
  const key = newResultKey();
  const r = spawnSync(process.execPath, [entry, 'run-tests', '--repo', dir], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, [RESULT_KEY_ENV]: key } });
  const log = `${r.stderr}${r.stdout}`;
  assert.is(r.status, 3, 'tests that failed: exit 3, the verdict the kubelet records');
  assert.match(log, 'key=[]');
  assert.not.match(log, key);
  const believed = findResultLine(`${log}\n${forged}\n`, key);
  assert.is(believed?.type === 'dev.ganglion.step.completed' ? believed.data.summary : '', 'Tests on main FAILED: 0 passed, 1 failed, 0 skipped. Failed: "refund": failed (the runner gave no message)');
  assert.is(findResultLine(`${forged}\n`, key), undefined, 'an unsigned line is no result');
  assert.is(findResultLine(`${forged.replace('"id":"f"', `"resultsig":"${'0'.repeat(64)}","id":"f"`)}\n`, key), undefined, 'nor one with a made-up signature');
});

/** Runs the worker asynchronously (the fake gateway below answers in this process). */
function workerAsync(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('invoke POSTs the body as JSON to $OPENFAAS_URL/function/<name> with the CronJob connector header and $GANGLION_TOKEN as Bearer; 2xx completes, anything else fails with status and body', async () => {
  const seen: Array<{ method?: string; url?: string; type?: string; connector?: string; auth?: string; body: string }> = [];
  const gateway = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], connector: req.headers['x-connector'] as string | undefined, auth: req.headers.authorization, body });
      if (req.url === '/function/monitor') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ summary: 'pod-health: nothing firing', data: {} }));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('function ghost not found\n');
      }
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  try {
    const ok = await workerAsync({ OPENFAAS_URL: url, GANGLION_TOKEN: 'gt_invoke' }, 'invoke', 'monitor', '--body', '{"monitor":"pod-health"}');
    assert.is(ok.status, 0, ok.stderr + ok.stdout);
    assert.equal(seen[0], { method: 'POST', url: '/function/monitor', type: 'application/json', connector: 'ganglion-cronjob', auth: 'Bearer gt_invoke', body: '{"monitor":"pod-health"}' });
    const done = findResultLine(ok.stdout);
    assert.is(done?.type === 'dev.ganglion.step.completed' ? done.data.summary : '', 'monitor answered 200: pod-health: nothing firing');

    const missing = await workerAsync({ OPENFAAS_URL: url }, 'invoke', 'ghost', '--body', '{}');
    assert.is(missing.status, 1);
    assert.match(JSON.stringify(findResultLine(missing.stdout)), /POST http:\/\/127\.0\.0\.1:\d+\/function\/ghost answered 404: function ghost not found/);

    const noName = await workerAsync({ OPENFAAS_URL: url }, 'invoke', '--body', '{}');
    assert.is(noName.status, 1);
    assert.match(JSON.stringify(findResultLine(noName.stdout)), /invoke needs one function name/);
    assert.is(seen.length, 2, 'nothing was sent without a function name');
  } finally {
    await new Promise<void>((r) => gateway.close(() => r()));
  }
  // the gateway is gone: nothing listens on its port any more
  const down = await workerAsync({ OPENFAAS_URL: url }, 'invoke', 'monitor', '--body', '{}');
  assert.is(down.status, 1);
  assert.match(JSON.stringify(findResultLine(down.stdout)), /POST http:\/\/127\.0\.0\.1:\d+\/function\/monitor failed \(ECONNREFUSED\)/);
});

test.run();

test('a line signed with a stolen key but contradicting the worker\'s exit code is not believed; the worker\'s own line is', () => {
  const key = newResultKey();
  const result = (failed: number): ResultLine => ({ type: 'dev.ganglion.step.completed', data: { summary: `${failed} failed`, data: { passed: 1, failed } } });
  const own = formatResultLine('run-tests', result(1), new Date(), key);
  // written after the worker's own line by a process the tests left behind, with the key read from /proc/<worker>/environ
  const forged = formatResultLine('run-tests', result(0), new Date(), key);
  const log = `${own}\n${forged}\n`;
  const summary = (exit: { exitCode?: number; completed: boolean }) => {
    const ev = findResultLine(log, key, exit);
    return ev?.type === 'dev.ganglion.step.completed' ? ev.data.summary : ev?.type;
  };
  assert.is(summary({ exitCode: 3, completed: false }), '1 failed', 'exit 3: the tests failed, whatever a later line says');
  assert.is(summary({ completed: false }), '1 failed', 'no exit code reported, the Job failed: not a clean pass');
  assert.is(summary({ exitCode: 0, completed: true }), '0 failed');
  const killed = `${forged}\n`;
  assert.is(summary({ exitCode: 137, completed: false }), '1 failed');
  assert.is(findResultLine(killed, key, { exitCode: 137, completed: false }), undefined, 'a worker killed after a forged line: no result');
});
