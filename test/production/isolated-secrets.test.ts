/**
 * The repository's stack.yml in isolated mode, as OpenFaaS would run it: every function its own process, and its
 * secrets folder holding exactly the secrets its stack.yml entry lists — so a function that needs a secret it does
 * not list fails here (and in the isolated scenario suite), not first on a cluster.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../../gateway/index.js';
import { loadStack } from '../../stack/stack-file.js';
import { repoRoot } from '../../testing/k8s-files.js';

test('in isolated mode each stack.yml function runs in its own process and its secrets folder holds exactly the secrets its entry lists', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-isolated-'));
  const stackFile = path.join(repoRoot, 'stack.yml');
  // every secret stack.yml names exists: the install step makes the approval key and credentials, these two come from variables
  const env = { KUBECONFIG: path.join(home, 'no-cluster'), LOG_LEVEL: 'silent', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', GITHUB_WEBHOOK_SECRET: 'gh' };
  const gw = await startGateway({ stackFile, mode: 'isolated', home, port: 0, env, distRoot: path.join(repoRoot, 'dist'), cron: false });
  try {
    const functions = loadStack(stackFile, {}).functions;
    const pids = gw.pids();
    assert.equal(Object.keys(pids).sort(), Object.keys(functions).sort(), 'every function is up');
    assert.is(new Set(Object.values(pids)).size, Object.keys(functions).length, 'each in a process of its own');
    const listed = new Set(Object.values(functions).flatMap((f) => f.secrets ?? []));
    assert.equal(readdirSync(path.join(home, 'secrets')).filter((n) => !n.startsWith('.')).sort(), [...listed].sort(), 'the store holds every secret stack.yml names');
    for (const [name, fn] of Object.entries(functions)) {
      const mounted = readdirSync(path.join(home, 'functions', name, 'secrets')).sort();
      assert.equal(mounted, [...(fn.secrets ?? [])].sort(), `secrets of ${name}`);
    }
  } finally {
    await gw.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test.run();
