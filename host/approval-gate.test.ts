import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as z from 'zod';
import { createFunctionApp } from './function-app.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { approvalKey, signApproval } from './approval-token.js';
import { defineMeta, type FnRequest, type FunctionModule } from '../function-kit/function-module.js';

const home = mkdtempSync(`${os.tmpdir()}/g-approval-`);
const config = loadConfig({ GANGLION_HOME: home, GANGLION_APPROVAL_KEY: 'test-approval-key' });
const applied: number[] = [];
const input = z.object({ replicas: z.number().int(), dryRun: z.boolean().default(false) });
const mod: FunctionModule = {
  meta: defineMeta({ name: 'fake-scale', description: 'records what it would apply', input, mutates: true, examples: [] }),
  async handle(raw) {
    const inp = input.parse(raw);
    if (!inp.dryRun) applied.push(inp.replicas);
    return { summary: inp.dryRun ? `would scale to ${inp.replicas}` : `scaled to ${inp.replicas}`, data: {} };
  },
};
const make = () => createFunctionApp(mod, { config, log: createLogger({ name: 't', level: 'silent' }), kube: createKubeAccess() });
const event = (id: string, data: unknown, ext: Record<string, string>): FnRequest => ({
  method: 'POST', path: '/', query: new URLSearchParams(), body: Buffer.from(JSON.stringify(data)),
  headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', ...Object.fromEntries(Object.entries(ext).map(([k, v]) => [`ce-${k}`, v])) },
});
const token = signApproval(approvalKey(config), { runId: 'r1', stepId: 's1', fn: 'fake-scale', input: { replicas: 5, dryRun: false } });

test('a mutating function refuses a request without approval (403) and applies nothing', async () => {
  const res = await make()(event('e0', { replicas: 5 }, { runid: 'r1', stepid: 's1' }));
  assert.is(res.status, 403);
  assert.match(String(res.body), /approval_required/);
  assert.equal(applied, []);
});

test('a dry run needs no approval and applies nothing', async () => {
  const res = await make()(event('e-dry', { replicas: 5, dryRun: true }, { runid: 'r1', stepid: 's1' }));
  assert.is(res.status, 200);
  assert.equal(applied, []);
});

test('an approval for other input is refused', async () => {
  const res = await make()(event('e-other', { replicas: 50 }, { runid: 'r1', stepid: 's1', approval: token }));
  assert.is(res.status, 403);
  assert.equal(applied, []);
});

test('an approved step applies once; the same approval re-sent under a new event id, even after a restart, is refused', async () => {
  const first = await make()(event('e1', { replicas: 5 }, { runid: 'r1', stepid: 's1', approval: token }));
  assert.is(first.status, 200);
  const replayed = await make()(event('e2', { replicas: 5 }, { runid: 'r1', stepid: 's1', approval: token }));
  assert.is(replayed.status, 409);
  assert.match(String(replayed.body), /approval_already_used/);
  assert.equal(applied, [5]);
  rmSync(home, { recursive: true, force: true });
});

test.run();
