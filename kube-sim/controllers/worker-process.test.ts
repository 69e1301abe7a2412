import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startWorker } from './worker-process.js';

// a worker script that prints what a test run inside it would see of its environment
const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-env-'));
const entry = path.join(dir, 'print-env.mjs');
writeFileSync(entry, 'process.stdout.write(JSON.stringify({ env: process.env, cwd: process.cwd() }));\n');

function run(env: Record<string, string>): Promise<{ env: Record<string, string>; cwd: string }> {
  return new Promise((resolve) => {
    let out = '';
    startWorker({ workerEntry: entry, args: [], env, podName: 'w-1', onOutput: (t) => { out += t; }, onExit: () => resolve(JSON.parse(out) as { env: Record<string, string>; cwd: string }) });
  });
}

test('a worker process gets its own empty HOME under its temp dir, never the user\'s, and none of the host\'s other variables', async () => {
  process.env.KUBE_SIM_TEST_SECRET = 'host-only';
  const seen = await run({ OLLAMA_HOST: 'http://ollama:11434' });
  delete process.env.KUBE_SIM_TEST_SECRET;
  assert.is.not(seen.env.HOME, os.homedir());
  assert.is(seen.env.HOME, path.join(seen.cwd, 'home'));
  assert.is(seen.env.HOSTNAME, 'w-1');
  assert.is(seen.env.OLLAMA_HOST, 'http://ollama:11434');
  assert.is(seen.env.PATH, process.env.PATH);
  assert.is(seen.env.KUBE_SIM_TEST_SECRET, undefined);
  assert.is(seen.env.KUBECONFIG, undefined);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
