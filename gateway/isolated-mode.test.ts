/**
 * Isolated mode runs each function as OpenFaaS does: its own process, HOME and secrets folder (only the secrets its
 * stack.yml entry lists), and a pod's environment rather than the gateway's. The gateway contract holds as in the
 * other modes.
 */
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { gatewayContract } from './testing/gateway-contract.js';

// In the gateway's own environment only: a function in isolated mode must not see it.
process.env.GANGLION_TEST_GATEWAY_ONLY = 'gateway-only';
// Given to the gateway as a variable, it reaches functions only as the secret slack-webhook-url.
const { suite, ctx } = gatewayContract('isolated', { env: { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/isolated', GANGLION_APPROVAL_KEY: 'k'.repeat(64) } });
const fnDir = (name: string, sub: string) => path.join(ctx.home, 'functions', name, sub);

suite('every function is its own process', () => {
  const pids = ctx.gw.pids();
  assert.equal(Object.keys(pids).sort(), ['counter', 'echo', 'mirror', 'slow', 'whoami']);
  assert.is(new Set(Object.values(pids)).size, 5);
  assert.not.ok(Object.values(pids).includes(process.pid));
});

suite('a function has its own GANGLION_HOME, HOME and TMPDIR under <home>/functions/<name>/', async () => {
  const me = await ctx.whoami();
  assert.is(me.pid, ctx.gw.pids().whoami);
  assert.is(me.home, fnDir('whoami', 'home'));
  assert.equal(me.env, { HOME: fnDir('whoami', 'home'), TMPDIR: fnDir('whoami', 'tmp') });
  assert.is(me.secretsDir, fnDir('whoami', 'secrets'));
});

suite('a function\'s environment is a pod\'s: its stack.yml environment, the cluster, the gateway, PORT, LOG_LEVEL, PATH — not the gateway\'s variables nor secrets as variables', async () => {
  const { envNames } = await ctx.whoami();
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'GANGLION_HOME', 'GANGLION_SECRETS_DIR', 'OPENFAAS_URL', 'PORT', 'LOG_LEVEL', 'WHOAMI_NOTE']) {
    assert.ok(envNames.includes(name), `${name} in ${envNames.join(', ')}`);
  }
  for (const name of ['GANGLION_TEST_GATEWAY_ONLY', 'SLACK_WEBHOOK_URL', 'GANGLION_APPROVAL_KEY', 'GANGLION_GATEWAY_PASSWORD']) {
    assert.not.ok(envNames.includes(name), `${name} must not reach the function`);
  }
});

suite('a function\'s secrets folder holds only the secrets its stack.yml entry lists, and follows /system/secrets', async () => {
  // The store holds the approval key, the gateway credentials and slack-webhook-url; whoami lists only fixture-token.
  assert.equal(Object.keys((await ctx.whoami()).secrets), []);
  assert.equal(readdirSync(fnDir('echo', 'secrets')), []);
  const res = await fetch(`${ctx.gw.url}/system/secrets`, { method: 'POST', headers: { authorization: ctx.auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'fixture-token', value: 'isolated' }) });
  assert.is(res.status, 201);
  assert.equal((await ctx.whoami()).secrets, { 'fixture-token': 'isolated' });
  assert.equal(readdirSync(fnDir('echo', 'secrets')), [], 'a function that does not list it never gets it');
  assert.is((await fetch(`${ctx.gw.url}/system/secrets`, { method: 'DELETE', headers: { authorization: ctx.auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'fixture-token' }) })).status, 202);
  assert.equal((await ctx.whoami()).secrets, {});
});

suite('secrets given to the gateway as variables are in its store, as `faas-cli secret create` would have put them', () => {
  const store = readdirSync(path.join(ctx.home, 'secrets')).filter((n) => !n.startsWith('.')).sort();
  assert.equal(store, ['basic-auth-password', 'basic-auth-user', 'ganglion-api-tokens', 'ganglion-approval-key', 'ganglion-step-key', 'slack-webhook-url']);
});

suite.run();
