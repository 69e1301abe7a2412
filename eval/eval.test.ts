/**
 * The eval harness itself, cheaply: its scores, its token meter against the scripted stand-in Ollama (the real wire
 * protocol, scripted answers: figures from it are the scripted stand-in's, never a model's), and its pass/fail
 * detection on the embedded planner, including tasks that must fail.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startOllamaServer } from '../testing/ollama-server/ollama-server.js';
import { seedModel } from '../testing/ollama-server/seed-scenarios.js';
import { startOllamaMeter, tokensOf } from './ollama-meter.js';
import { formatReport } from './report.js';
import type { Attempt } from './run-attempt.js';
import { runEval } from './run-eval.js';
import { scoreTask, totalsOf } from './score.js';
import { selectTasks, type EvalTask } from './task.js';
import { allTasks } from './tasks/index.js';
import { scaleTasks } from './tasks/scale.js';
import { debugTasks } from './tasks/debug.js';
import { expectEqual } from './kubectl.js';

const test = suite('eval harness');
const byName = (list: EvalTask[], name: string): EvalTask => {
  const t = list.find((x) => x.name === name);
  if (!t) throw new Error(`no task ${name}`);
  return t;
};
const attempt = (passed: boolean, usage?: Attempt['usage']): Attempt => ({ task: 't', passed, problems: passed ? [] : ['x'], approvals: 1, wallMs: 1000, ...(usage ? { usage } : {}) });

test('the task set holds at least 30 tasks of its own across every category, names unique, and a word selects by name, category or tag', () => {
  const own = allTasks.filter((t) => !(t.tags ?? []).length);
  assert.ok(own.length >= 30, `${own.length} own tasks`);
  for (const c of ['create', 'fix', 'scale', 'debug', 'rbac', 'network-policy', 'rollout']) assert.ok(own.some((t) => t.category === c), `no own ${c} task`);
  assert.is(selectTasks(allTasks, []).length, allTasks.length);
  assert.ok(selectTasks(allTasks, ['rbac']).every((t) => t.category === 'rbac'));
  assert.ok(selectTasks(allTasks, ['scenario']).length >= 8);
  assert.throws(() => selectTasks([allTasks[0]!, allTasks[0]!], []), /two eval tasks are named/);
});

test('pass@1 is the share of attempts passed, pass^k is 1 only when all k passed; the overall is the mean over tasks', () => {
  const task = allTasks[0]!;
  const a = scoreTask(task, [attempt(true), attempt(false), attempt(true)]);
  assert.is(a.pass1, 2 / 3);
  assert.is(a.passK, 0);
  const b = scoreTask(task, [attempt(true), attempt(true), attempt(true)]);
  assert.is(b.passK, 1);
  const total = totalsOf([a, b]);
  assert.is(total.pass1, (2 / 3 + 1) / 2);
  assert.is(total.passK, 0.5);
  assert.is(total.calls, undefined, 'no model, no calls figure');
  const metered = scoreTask(task, [attempt(true, { calls: 1, promptTokens: 100, completionTokens: 10, uncounted: 0 }), attempt(true, { calls: 3, promptTokens: 300, completionTokens: 30, uncounted: 0 })]);
  assert.equal([metered.calls, metered.promptTokens, metered.completionTokens], [2, 200, 20]);
  assert.equal(totalsOf([metered]).calls, 4);
});

test("the meter reads Ollama's own counts from the final chunk, streamed or not, and none from a cut stream", () => {
  assert.equal(tokensOf('{"message":{"content":"a"},"done":false}\n{"done":true,"prompt_eval_count":812,"eval_count":37}\n'), { prompt: 812, completion: 37 });
  assert.equal(tokensOf('{"done":true,"prompt_eval_count":5,"eval_count":2}'), { prompt: 5, completion: 2 });
  assert.is(tokensOf('{"message":{"content":"a"},"done":false}\n'), undefined);
});

test('on the scripted stand-in Ollama the harness counts exactly the model calls and tokens the stand-in answered', async () => {
  const srv = await startOllamaServer({ models: [{ name: 'llama3.1:8b' }] });
  srv.respond(seedModel);
  const meter = await startOllamaMeter({ upstream: srv.url });
  try {
    const tasks = [byName(scaleTasks, 'scale-web-tier-5'), byName(debugTasks, 'debug-cluster-status')];
    const run = await runEval({ tasks, backend: { kind: 'ollama', host: meter.url, model: 'llama3.1:8b', usage: meter.usage }, k: 1 });
    const calls = srv.modelCalls();
    // what the stand-in reports: ceil(prompt characters / 4) in, ceil(answer characters / 4) out (scripted-reply.ts)
    const prompt = calls.reduce((n, c) => n + Math.max(1, Math.ceil(c.promptChars / 4)), 0);
    const completion = calls.reduce((n, c) => {
      const reply = seedModel(c);
      return n + Math.max(1, Math.ceil((reply && 'content' in reply ? reply.content : '').length / 4));
    }, 0);
    assert.ok(calls.length >= 2, `the model was asked (${calls.length} calls)`);
    const sum = (f: (a: Attempt) => number) => run.attempts.reduce((n, a) => n + f(a), 0);
    assert.is(sum((a) => a.usage?.calls ?? 0), calls.length);
    assert.is(sum((a) => a.usage?.promptTokens ?? 0), prompt);
    assert.is(sum((a) => a.usage?.completionTokens ?? 0), completion);
    for (const a of run.attempts) assert.is(a.planner, 'llama3.1:8b', `${a.task} was planned by the stand-in's model name, not the fallback`);
    assert.equal(run.attempts.map((a) => [a.task, a.passed]), [['scale-web-tier-5', true], ['debug-cluster-status', true]], JSON.stringify(run.attempts.map((a) => a.problems)));
    const report = formatReport({ planner: 'scripted stand-in (testing/ollama-server), not a real model', k: 1, machine: 'test', date: 'today' }, run.scores, run.wallMs);
    assert.match(report, 'scripted stand-in');
    assert.match(report, /pass@1 1\.00 overall/);
  } finally {
    await meter.stop();
    await srv.stop();
  }
});

test('on the embedded planner a right change passes after one approval; a change that never asks, a wrong cluster and a read that asks to change all fail', async () => {
  const scale = byName(scaleTasks, 'scale-web-tier-5');
  const tasks: EvalTask[] = [
    scale,
    // a status question dressed as a change whose verify wants what nobody did: both findings must show
    { ...scale, name: 'change-never-asked', prompt: 'Show me cluster status', verify: async ({ k }) => expectEqual('frontend replicas', await k.get('deployment/frontend', 'web', '{.spec.replicas}'), '4') },
    { ...scale, name: 'read-that-changes', kind: 'read', prompt: 'Scale the web tier to 3 replicas', verify: async () => [] },
  ];
  const run = await runEval({ tasks, backend: { kind: 'embedded' }, k: 1 });
  const [ok, never, read] = run.attempts;
  assert.ok(ok?.passed, JSON.stringify(ok?.problems));
  assert.is(ok?.approvals, 1);
  assert.is(ok?.usage, undefined, 'the embedded planner has no model figures');
  assert.not.ok(never?.passed);
  assert.match(never?.problems.join('\n') ?? '', /no change waited for approval/);
  assert.match(never?.problems.join('\n') ?? '', 'frontend replicas is "2", expected "4"');
  assert.not.ok(read?.passed);
  assert.match(read?.problems.join('\n') ?? '', /a read request asked to approve changes \(rejected\)/);
  assert.not.match(read?.problems.join('\n') ?? '', /new or changed/, 'rejected, so the cluster is as it was');
  assert.ok(run.attempts.every((a) => a.error === undefined), 'no harness errors');
  assert.match(formatReport({ planner: 'embedded', k: 1, machine: 'test', date: 'today' }, run.scores, run.wallMs), 'n/a, the embedded planner calls no model');
});

test('npm run eval exits 2 on bad arguments, naming what to give, and lists the tasks with --list', async () => {
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js');
  const run = (...args: string[]) => promisify(execFile)(process.execPath, [main, ...args]).then(() => ({ code: 0, out: '' }), (err: { code: number; stderr: string }) => ({ code: err.code, out: err.stderr }));
  const noModel = await run('--ollama', 'http://mac:11434');
  assert.is(noModel.code, 2);
  assert.match(noModel.out, '--ollama needs --model <name>');
  assert.is((await run('-k', '0')).code, 2);
  assert.is((await run('no-such-task')).code, 2);
  const { stdout } = await promisify(execFile)(process.execPath, [main, '--list', 'rbac']);
  assert.is(stdout.trim().split('\n').length, selectTasks(allTasks, ['rbac']).length);
});

test.run();
