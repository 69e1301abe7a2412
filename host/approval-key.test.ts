/**
 * Where the approval key comes from: GANGLION_APPROVAL_KEY, else the secret ganglion-approval-key in the secrets
 * folder (as OpenFaaS mounts it); never a file the function makes up itself — without the secret a mutating step
 * is refused with a 503 that names the secret and the line that creates it, and nothing is applied.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { createFunctionApp } from './function-app.js';
import { loadConfig } from '../kernel/config.js';
import { GanglionError } from '../kernel/errors.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { approvalKey, signApproval } from './approval-token.js';
import { defineMeta, type FnRequest, type FunctionModule } from '../function-kit/function-module.js';
import { bearer, writeTestTokens } from '../testing/auth.js';

const home = mkdtempSync(`${os.tmpdir()}/g-approval-key-`);
const secrets = path.join(home, 'secrets');
const config = loadConfig({ GANGLION_HOME: home, GANGLION_SECRETS_DIR: secrets });

test.after(() => rmSync(home, { recursive: true, force: true }));

test('with neither GANGLION_APPROVAL_KEY nor the secret, approvalKey fails with 503 naming the secret and the faas-cli line, and writes no key', () => {
  try {
    approvalKey(config);
    assert.unreachable('a key appeared from nowhere');
  } catch (err) {
    assert.instance(err, GanglionError);
    assert.is((err as GanglionError).status, 503);
    assert.is((err as GanglionError).code, 'approval_key_missing');
    assert.match((err as Error).message, path.join(secrets, 'ganglion-approval-key'));
    assert.match((err as Error).message, 'faas-cli secret create ganglion-approval-key --from-literal "$(openssl rand -hex 32)"');
  }
  assert.not.ok(existsSync(path.join(home, 'approval-key')), 'no key file under GANGLION_HOME');
  assert.equal(existsSync(home) ? readdirSync(home) : [], []);
});

test('a mutating function without the key answers 503 approval_key_missing and applies nothing', async () => {
  const applied: unknown[] = [];
  const input = z.object({ replicas: z.number().int(), dryRun: z.boolean().default(false) });
  const mod: FunctionModule = {
    meta: defineMeta({ name: 'fake-scale', description: 'records what it applies', input, mutates: true, access: 'operator', examples: [] }),
    async handle(raw) {
      applied.push(raw);
      return { summary: 'scaled', data: {} };
    },
  };
  const app = createFunctionApp(mod, { config, log: createLogger({ name: 't', level: 'silent' }), kube: createKubeAccess() });
  const { admin } = writeTestTokens(secrets);
  const req: FnRequest = {
    method: 'POST', path: '/', query: new URLSearchParams(), body: Buffer.from('{"replicas":5}'),
    headers: { ...bearer(admin), 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'e1', 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'r1', 'ce-stepid': 's1', 'ce-approval': 'a'.repeat(64) },
  };
  const res = await app(req);
  assert.is(res.status, 503);
  assert.match(String(res.body), /approval_key_missing/);
  assert.match(String(res.body), /ganglion-approval-key/);
  assert.equal(applied, []);
});

test('the key is read from <secretsDir>/ganglion-approval-key (trailing newline dropped); GANGLION_APPROVAL_KEY wins over it', () => {
  const step = { runId: 'r', stepId: 's', fn: 'scale', input: { replicas: 5 } };
  mkdirSync(secrets, { recursive: true });
  writeFileSync(path.join(secrets, 'ganglion-approval-key'), 'from-the-secret\n', { mode: 0o600 });
  assert.is(approvalKey(config).toString('utf8'), 'from-the-secret');
  assert.is(signApproval(approvalKey(config), step), signApproval(Buffer.from('from-the-secret'), step));
  const withEnv = loadConfig({ GANGLION_HOME: home, GANGLION_SECRETS_DIR: secrets, GANGLION_APPROVAL_KEY: 'from-env' });
  assert.is(approvalKey(withEnv).toString('utf8'), 'from-env');
});

test('OpenFaaS mounts secrets at /var/openfaas/secrets, which is where a function looks unless told otherwise', () => {
  assert.is(loadConfig({}).alerts.secretsDir, '/var/openfaas/secrets');
});

test.run();
