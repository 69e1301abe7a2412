/**
 * The approval key as an OpenFaaS secret: every replica of the planner signs approved steps with it and every
 * function that changes the cluster checks them, so stack.yml mounts `ganglion-approval-key` on exactly those —
 * a mutating function without it would refuse every approved step, a read tool with it holds a key it never needs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { approvalKey } from '../../host/approval-token.js';
import { loadConfig } from '../../kernel/config.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { loadStack } from '../../stack/stack-file.js';
import { repoRoot } from '../../testing/k8s-files.js';

const SECRET = 'ganglion-approval-key';
const stack = loadStack(path.join(repoRoot, 'stack.yml'), {});

async function mutates(fn: string): Promise<boolean> {
  const mod = (await import(path.join(repoRoot, 'dist', 'functions', fn, 'schema.js'))) as { meta: FunctionMeta };
  return mod.meta.mutates;
}

test('stack.yml mounts ganglion-approval-key on the planner (signs) and on every mutating function (verifies), and on no other', async () => {
  const want: string[] = [];
  for (const fn of Object.keys(stack.functions)) if (fn === 'planner' || await mutates(fn)) want.push(fn);
  const mounted = Object.entries(stack.functions).filter(([, f]) => (f.secrets ?? []).includes(SECRET)).map(([n]) => n);
  assert.equal(mounted.sort(), want.sort());
  assert.ok(want.includes('deploy') && want.includes('planner') && !want.includes('cluster-status'));
});

test('the runtime reads the key from where OpenFaaS mounts that secret, and the install guide creates it', () => {
  const mounted = mkdtempSync(path.join(os.tmpdir(), 'g-secrets-'));
  try {
    writeFileSync(path.join(mounted, SECRET), 'k'.repeat(64) + '\n');
    assert.is(approvalKey(loadConfig({ GANGLION_SECRETS_DIR: mounted })).toString('utf8'), 'k'.repeat(64));
  } finally {
    rmSync(mounted, { recursive: true, force: true });
  }
  // unset, GANGLION_SECRETS_DIR is where OpenFaaS mounts a function's secrets
  assert.is(loadConfig({}).alerts.secretsDir, '/var/openfaas/secrets');
  assert.match(readFileSync(path.join(repoRoot, 'docs', 'production.md'), 'utf8'), `faas-cli secret create ${SECRET} --from-literal "$(openssl rand -hex 32)"`);
});

test('the planner lists the gateway\'s basic-auth-user and basic-auth-password (it reads GET /system/functions with them)', () => {
  const secrets = stack.functions.planner?.secrets ?? [];
  assert.ok(secrets.includes('basic-auth-user') && secrets.includes('basic-auth-password'), secrets.join(', '));
});

test.run();
