/**
 * `npm run eval [-- words…] [-k N] [--ollama URL --model NAME]`: the task set against the embedded planner (default)
 * or a real Ollama, printed as a table. Exit 0 when the harness ran (failed tasks are results), 1 on a harness error,
 * 2 on bad arguments.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import { runEval } from './run-eval.js';
import { startOllamaMeter, type OllamaMeter } from './ollama-meter.js';
import { selectTasks } from './task.js';
import { allTasks } from './tasks/index.js';
import type { Backend } from './run-attempt.js';

const USAGE = 'usage: npm run eval -- [name|category|tag …] [-k N] [--ollama http://<mac>:11434 --model <name>] [--list]';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { k: { type: 'string', short: 'k' }, ollama: { type: 'string' }, model: { type: 'string' }, list: { type: 'boolean' } } });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  const tasks = selectTasks(allTasks, positionals);
  if (values.list) {
    for (const t of tasks) process.stdout.write(`${t.name.padEnd(36)} ${t.category.padEnd(15)} ${t.kind.padEnd(7)} ${t.prompt}\n`);
    return 0;
  }
  if (tasks.length === 0) {
    process.stderr.write(`no task matches ${positionals.join(' ')}; npm run eval -- --list shows them\n`);
    return 2;
  }
  if (values.ollama && !values.model) {
    process.stderr.write(`--ollama needs --model <name> (a model the Ollama at ${values.ollama} has pulled, e.g. qwen2.5:7b)\n${USAGE}\n`);
    return 2;
  }
  const k = values.k === undefined ? (values.ollama ? 3 : 1) : Number(values.k);
  if (!Number.isInteger(k) || k < 1) {
    process.stderr.write(`-k wants a whole number ≥ 1, got ${values.k}\n`);
    return 2;
  }
  let meter: OllamaMeter | undefined;
  try {
    let backend: Backend = { kind: 'embedded' };
    if (values.ollama && values.model) {
      const m = await startOllamaMeter({ upstream: values.ollama });
      meter = m;
      backend = { kind: 'ollama', host: m.url, model: values.model, usage: () => m.usage() };
    }
    const planner = backend.kind === 'ollama' ? `${backend.model} via Ollama at ${values.ollama}` : 'embedded planner (deterministic, no model)';
    const run = await runEval({
      tasks, backend, k,
      onAttempt: (task, a, i) => process.stderr.write(`${a.error ? 'ERROR' : a.passed ? 'pass ' : 'FAIL '} ${task.name}${k > 1 ? ` #${i + 1}` : ''} (${(a.wallMs / 1000).toFixed(1)} s)\n`),
    });
    const machine = `${os.cpus().length}× ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}, Node ${process.version}`;
    process.stdout.write(`${formatReport({ planner, k, machine, date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC' }, run.scores, run.wallMs)}\n`);
    return run.attempts.some((a) => a.error) ? 1 : 0;
  } catch (err) {
    process.stderr.write(`the eval harness failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await meter?.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));
