/**
 * Every function checks its caller itself (on OpenFaaS the gateway does not): a bearer token of the right role, or a
 * Ganglion caller's step signature over exactly this event. The role matrix runs a read tool (viewer), a tool that
 * runs code (operator) and a mutating tool through the real runtime app, and checks the handler never ran when refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { createFunctionApp } from './function-app.js';
import { stepKey } from './step-key.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { defineMeta, type FnRequest, type FunctionAccess, type FunctionModule } from '../function-kit/function-module.js';
import { TOKENS_SECRET } from '../access/api-tokens.js';
import { ROUTE_SIGNATURE_TTL_MS, signedRouteHeaders } from '../access/step-signature.js';
import { bearer, stepSigHeader, writeTestTokens } from '../testing/auth.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'g-caller-auth-'));
const secrets = path.join(home, 'secrets');
const tokens = writeTestTokens(secrets);
const config = loadConfig({ GANGLION_HOME: home, GANGLION_SECRETS_DIR: secrets, GANGLION_APPROVAL_KEY: 'caller-auth-key' });
test.after(() => rmSync(home, { recursive: true, force: true }));

/** A function that records each input it ran with and who called. */
function fake(name: string, access: FunctionAccess, mutates = false, { summary = false, cfg = config } = {}) {
  const ran: Array<{ input: unknown; by?: string }> = [];
  const input = z.object({ n: z.number().default(1), dryRun: z.boolean().default(false) });
  const mod: FunctionModule = {
    meta: defineMeta({ name, description: name, input, mutates, access, examples: [], ...(summary ? { summary: true as const } : {}) }),
    async handle(inp, ctx) {
      ran.push({ input: inp, ...(ctx.principal ? { by: ctx.principal.name } : {}) });
      return { summary: 'ok', data: {} };
    },
    routes: [
      { method: 'GET', path: '/public', access: 'public', handle: async () => ({ status: 200, headers: {}, body: 'open' }) },
      { method: 'GET', path: '/runs', access: 'viewer', handle: async () => ({ status: 200, headers: {}, body: 'runs' }) },
    ],
  };
  return { ran, app: createFunctionApp(mod, { config: cfg, log: createLogger({ name, level: 'silent' }), kube: createKubeAccess() }) };
}
const post = (headers: Record<string, string>, body: unknown = { n: 1 }): FnRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body)) });
const codeOf = (res: { body: unknown }) => (JSON.parse(String(res.body)) as { error?: { code: string } }).error?.code;

const read = fake('fake-status', 'viewer');
const code = fake('fake-run-tests', 'operator');
const change = fake('fake-scale', 'operator', true);

test('a read tool: anonymous 401 with a Bearer challenge, an unknown token 401, a viewer runs it', async () => {
  const anonymous = await read.app(post({}));
  assert.is(anonymous.status, 401);
  assert.is(codeOf(anonymous), 'unauthenticated');
  assert.match(anonymous.headers['www-authenticate'] ?? '', /^Bearer/);
  const unknown = await read.app(post(bearer('gt_' + 'f'.repeat(64))));
  assert.is(unknown.status, 401);
  assert.match(String(unknown.body), /not in ganglion-api-tokens/);
  assert.equal(read.ran, []);
  assert.is((await read.app(post(bearer(tokens.viewer)))).status, 200);
  assert.equal(read.ran.map((r) => r.by), ['viewer']);
});

test('a tool that runs code: a viewer gets 403 naming the role needed and nothing runs; an operator runs it', async () => {
  const viewer = await code.app(post(bearer(tokens.viewer)));
  assert.is(viewer.status, 403);
  assert.is(codeOf(viewer), 'forbidden');
  assert.match(String(viewer.body), /needs role operator/);
  assert.equal(code.ran, []);
  assert.is((await code.app(post(bearer(tokens.operator)))).status, 200);
  assert.is((await code.app(post(bearer(tokens.admin)))).status, 200);
  assert.equal(code.ran.map((r) => r.by), ['operator', 'admin']);
});

test('a mutating tool: a viewer may not even dry-run; an operator dry-runs; applying still needs the planner\'s approval', async () => {
  assert.is((await change.app(post(bearer(tokens.viewer), { n: 2, dryRun: true }))).status, 403);
  assert.is((await change.app(post(bearer(tokens.operator), { n: 2, dryRun: true }))).status, 200);
  const apply = await change.app(post(bearer(tokens.admin), { n: 2 }));
  assert.is(apply.status, 403);
  assert.is(codeOf(apply), 'approval_required');
  assert.equal(change.ran.map((r) => (r.input as { dryRun: boolean }).dryRun), [true]);
});

test('a step signed with the step key is the planner; one signed over other input, id or function is refused 401', async () => {
  const key = stepKey(config);
  const event = (id: string, data: unknown, sig: Record<string, string>) => post({ 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'r1', 'ce-stepid': 's1', ...sig }, data);
  const good = await code.app(event('e1', { n: 3 }, stepSigHeader(key, { id: 'e1', fn: 'fake-run-tests', input: { n: 3 }, runId: 'r1', stepId: 's1' })));
  assert.is(good.status, 200, String(good.body));
  assert.is(code.ran.at(-1)?.by, 'planner');
  const before = code.ran.length;
  const otherInput = await code.app(event('e2', { n: 4 }, stepSigHeader(key, { id: 'e2', fn: 'fake-run-tests', input: { n: 3 }, runId: 'r1', stepId: 's1' })));
  const otherId = await code.app(event('e3', { n: 3 }, stepSigHeader(key, { id: 'e1', fn: 'fake-run-tests', input: { n: 3 }, runId: 'r1', stepId: 's1' })));
  const otherFn = await code.app(event('e4', { n: 3 }, stepSigHeader(key, { id: 'e4', fn: 'fake-status', input: { n: 3 }, runId: 'r1', stepId: 's1' })));
  const wrongKey = await code.app(event('e5', { n: 3 }, stepSigHeader(Buffer.from('not-the-key'), { id: 'e5', fn: 'fake-run-tests', input: { n: 3 }, runId: 'r1', stepId: 's1' })));
  assert.equal([otherInput.status, otherId.status, otherFn.status, wrongKey.status], [401, 401, 401, 401]);
  assert.is(code.ran.length, before, 'nothing ran');
});

test('a cached answer is never handed to a caller without a token: the same event again, anonymous, is 401', async () => {
  const headers = { 'ce-specversion': '1.0', 'ce-id': 'cached-1', 'ce-source': '/x', 'ce-type': 'dev.ganglion.step.requested' };
  assert.is((await read.app(post({ ...headers, ...bearer(tokens.viewer) }, { n: 9 }))).status, 200);
  assert.is((await read.app(post(headers, { n: 9 }))).status, 401);
});

test('anonymous summaries are opt-in: with GANGLION_ANONYMOUS_SUMMARIES a summary answers a caller with no credential, nothing else does', async () => {
  const open = loadConfig({ GANGLION_HOME: home, GANGLION_SECRETS_DIR: secrets, GANGLION_APPROVAL_KEY: 'caller-auth-key', GANGLION_ANONYMOUS_SUMMARIES: 'true' });
  const summaryOff = fake('fake-summary-off', 'viewer', false, { summary: true });
  assert.is((await summaryOff.app(post({}))).status, 401, 'not opted in: a token is needed');
  const summary = fake('fake-summary', 'viewer', false, { summary: true, cfg: open });
  assert.is((await summary.app(post({}))).status, 200);
  assert.is((await summary.app(post(bearer(tokens.viewer)))).status, 200);
  assert.is((await summary.app(post(bearer('gt_' + 'e'.repeat(64))))).status, 401, 'a wrong token is refused, not read as anonymous');
  assert.equal(summary.ran.map((r) => r.by), ['anonymous', 'viewer']);
  // opted in, the other read tools, code and changes still need their roles
  const otherRead = fake('fake-logs', 'viewer', false, { cfg: open });
  const runsCode = fake('fake-tests', 'operator', false, { summary: true, cfg: open });
  const changes = fake('fake-change', 'operator', true, { summary: true, cfg: open });
  for (const f of [otherRead, runsCode, changes]) {
    assert.is((await f.app(post({}))).status, 401);
    assert.equal(f.ran, []);
  }
});

test('a signed route call (a Ganglion caller polling a run) reads that route for a short while only: replayed later, or elsewhere, it is 401', async () => {
  const key = stepKey(config);
  const get = (p: string, headers: Record<string, string>): FnRequest => ({ method: 'GET', path: p, query: new URLSearchParams(), headers, body: Buffer.alloc(0) });
  const call = { caller: 'github-webhook', fn: 'fake-status', method: 'GET', path: '/runs', id: 'poll-1' };
  assert.is((await read.app(get('/runs', signedRouteHeaders(key, call)))).status, 200);
  const captured = signedRouteHeaders(key, call, new Date(Date.now() - ROUTE_SIGNATURE_TTL_MS - 5_000));
  assert.is((await read.app(get('/runs', captured))).status, 401, 'sent again after its time');
  assert.is((await read.app(get('/runs', { ...captured, 'ce-time': new Date().toISOString() }))).status, 401, 'its time moved on: the signature no longer fits');
  assert.is((await read.app(get('/runs', { ...signedRouteHeaders(key, call), 'ce-time': 'yesterday' }))).status, 401);
  const { 'ce-time': _t, ...noTime } = signedRouteHeaders(key, call);
  assert.is((await read.app(get('/runs', noTime))).status, 401, 'no time, no call');
});

test('a token removed from the secret is refused within half a second (the file is re-read when it changes); public routes need none', async () => {
  assert.is((await read.app(post(bearer(tokens.viewer)))).status, 200);
  writeFileSync(path.join(secrets, TOKENS_SECRET), JSON.stringify({ tokens: [] }));
  await new Promise((r) => setTimeout(r, 600));
  assert.is((await read.app(post(bearer(tokens.viewer)))).status, 401);
  const open = await read.app({ method: 'GET', path: '/public', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) });
  assert.is(open.status, 200);
});

test.run();
