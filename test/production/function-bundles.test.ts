/**
 * The production bundles of three cluster functions, started with template.yml's fprocess against kube-sim: read
 * tools that GET wire JSON or text (cluster-status, pod-logs) and one that makes typed API calls (scale, previewing
 * with dryRun). The kubeconfig code and the generated API groups sit in separate chunks, and only a typed call
 * reaches the second.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { repoRoot } from '../../testing/k8s-files.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

const bundleDir = path.join(repoRoot, 'dist-bundle');
const { fprocess } = parse(readFileSync(path.join(repoRoot, 'templates', 'ganglion-ts', 'template.yml'), 'utf8')) as { fprocess: string };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += String(d); });
    child.stderr.on('data', (d: Buffer) => { out += String(d); });
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** The chunks a bundle file loads before it runs (static imports, transitively) and the ones it may load later (import()). */
function chunksOf(file: string): { eager: Set<string>; lazy: Set<string> } {
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const visit = (f: string) => {
    const text = readFileSync(path.join(bundleDir, f), 'utf8');
    for (const m of text.matchAll(/\bfrom\s*"\.\/([^"]+)"/g)) if (!eager.has(m[1] as string)) { eager.add(m[1] as string); visit(m[1] as string); }
    for (const m of text.matchAll(/\bimport\("\.\/([^"]+)"\)/g)) lazy.add(m[1] as string);
  };
  visit(file);
  return { eager, lazy };
}
const has = (chunk: string, text: string) => readFileSync(path.join(bundleDir, chunk), 'utf8').includes(text);

interface Answer { status: number; headers: Headers; json: { summary?: string; data?: Record<string, unknown>; error?: { code: string; message: string } }; summary(): string; stderr: string }

/** The secrets folder every bundle is given (as OpenFaaS mounts it), holding ganglion-api-tokens; calls send its admin token. */
const secretsDir = mkdtempSync(path.join(os.tmpdir(), 'g-bundle-secrets-'));
const { admin } = writeTestTokens(secretsDir);

async function answer(fn: string, kubeconfig: string, body: unknown, { env = {}, headers = {} }: { env?: NodeJS.ProcessEnv; headers?: Record<string, string> } = {}): Promise<Answer> {
  const args = fprocess.replaceAll('${FUNCTION}', fn).split(/\s+/).slice(1);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0', GANGLION_BIND: '127.0.0.1', KUBECONFIG: kubeconfig, LOG_LEVEL: 'warn', GANGLION_SECRETS_DIR: secretsDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => { buf += String(d); const m = /listening (\d+)/.exec(buf); if (m) resolve(Number(m[1])); });
      child.once('exit', (code) => reject(new Error(`${fn} bundle exited ${code} before listening: ${buf}${stderr}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(admin), ...headers }, body: JSON.stringify(body) });
    const json = await res.json() as Answer['json'];
    child.kill('SIGTERM');
    await exited; // everything it wrote to stderr has arrived
    return { status: res.status, headers: res.headers, json, summary: () => json.summary ?? '', stderr };
  } finally {
    child.kill('SIGTERM');
  }
}

let sim: KubeSim;
test.before(async () => {
  for (const fn of ['cluster-status', 'pod-logs', 'scale', 'github-webhook']) {
    const built = await run(process.execPath, ['templates/ganglion-ts/bundle.mjs', fn]);
    assert.is(built.code, 0, built.out);
  }
  sim = await startKubeSim({ scenario: 'home-lab', port: 0 });
  await sim.settle(2_000);
});
test.after(async () => { await sim?.stop(); });

test('the kubeconfig chunk loads without the generated API groups, which only an import() reaches', () => {
  const files = readdirSync(bundleDir).filter((f) => f.startsWith('cluster-status.'));
  const apiChunk = files.find((f) => has(f, 'readNamespacedPodLog'));
  const kubeconfigChunk = files.find((f) => has(f, 'loadFromDefault'));
  assert.ok(apiChunk && kubeconfigChunk, `no API-group or kubeconfig chunk among ${files.join(', ')}`);
  assert.is.not(apiChunk, kubeconfigChunk);
  const main = chunksOf('cluster-status.mjs');
  assert.not.ok(main.eager.has(kubeconfigChunk as string), 'the main bundle loads the kubeconfig code before its first cluster call');
  const onFirstCall = chunksOf(kubeconfigChunk as string).eager;
  assert.not.ok([kubeconfigChunk as string, ...onFirstCall].some((f) => has(f, 'readNamespacedPodLog')), 'the first cluster call would compile the generated API groups');
  // the typed groups are still in the bundle, behind their own import()
  assert.ok([...main.lazy].some((f) => f === apiChunk || chunksOf(f).eager.has(apiChunk as string)));
});

test('cluster-status\'s bundle answers from kube-sim with its wire-JSON reads', async () => {
  const res = await answer('cluster-status', sim.kubeconfigPath, {});
  assert.is(res.status, 200, JSON.stringify(res.json));
  assert.is(res.stderr, '', 'a good answer at the default level logs nothing');
  assert.equal((res.json.data?.nodes as { name: string }[]).map((n) => n.name), ['pi-1', 'pi-2', 'pi-3']);
  assert.match(res.json.summary ?? '', /^Cluster ganglion-sim: /);
});

test('a bundle takes a binary-mode CloudEvent, carries its extensions into the reply, and refuses a malformed one', async () => {
  const ce = { 'ce-specversion': '1.0', 'ce-id': 'step-1', 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'run-9', 'ce-stepid': 's1' };
  const ok = await answer('cluster-status', sim.kubeconfigPath, { namespace: 'apps' }, { headers: ce });
  assert.is(ok.status, 200, JSON.stringify(ok.json));
  assert.is(ok.headers.get('ce-type'), 'dev.ganglion.step.completed');
  assert.is(ok.headers.get('ce-source'), '/ganglion/cluster-status');
  assert.is(ok.headers.get('ce-runid'), 'run-9');
  assert.match(ok.summary(), /apps/);
  const bad = await answer('cluster-status', sim.kubeconfigPath, {}, { headers: { ...ce, 'ce-time': 'yesterday' } });
  assert.is(bad.status, 400, JSON.stringify(bad.json));
  assert.is(bad.json.error?.code, 'invalid_cloudevent');
  assert.match(bad.json.error?.message ?? '', /time/);
});

test('pod-logs\'s bundle reads a log as text with the kubeconfig\'s credentials', async () => {
  const res = await answer('pod-logs', sim.kubeconfigPath, { name: 'coredns', tailLines: 5 });
  assert.is(res.status, 200, JSON.stringify(res.json));
  assert.match(res.summary(), /coredns/);
  assert.ok(JSON.stringify(res.json.data).length > 100, 'no log lines in the answer');
});

test('scale\'s bundle previews through typed AppsV1Api calls, loaded on first use', async () => {
  const res = await answer('scale', sim.kubeconfigPath, { name: 'placemyparents', replicas: 5, dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.json));
  assert.match(res.summary(), /placemyparents/);
  assert.match(res.summary(), /3 → 5|3 -> 5/);
});

test('a bundle\'s log lines reach stderr as pino JSON (pino is loaded on the first line written)', async () => {
  const res = await answer('github-webhook', sim.kubeconfigPath, { ref: 'refs/heads/main' }, {
    env: { GITHUB_WEBHOOK_SECRET: 'right-secret' },
    headers: { 'x-github-event': 'push', 'x-github-delivery': 'd-42', 'x-hub-signature-256': 'sha256=0000' },
  });
  assert.is(res.status, 401, JSON.stringify(res.json));
  const lines = res.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(lines.length, 1, res.stderr);
  assert.is(lines[0]?.level, 40);
  assert.is(lines[0]?.name, 'github-webhook');
  assert.is(lines[0]?.delivery, 'd-42');
  assert.match(String(lines[0]?.msg), /bad or missing X-Hub-Signature-256/);
});

test.run();
