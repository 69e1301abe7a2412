/**
 * Honest readiness, against the real gateway in each mode: /healthz is 503 until every function's first start has
 * settled, and a call that comes while its function starts is held and served, never answered "not started".
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GatewayMode } from '../kernel/config.js';
import { freePort } from '../testing/free-port.js';
import { repoRoot, writeReducedStack } from '../testing/scenario-stack.js';
import { startGateway } from './index.js';

const NOT_SERVING = /not started|not running|could not be loaded|still starting/;

interface Answer { fn: string; status: number; internal: string | null; body: string }

async function callBoth(url: string, token: string): Promise<Answer[]> {
  const answer = (fn: string) => async (r: Response): Promise<Answer> => ({ fn, status: r.status, internal: r.headers.get('x-openfaas-internal'), body: await r.text() });
  return Promise.all([
    fetch(`${url}/function/planner/openapi.json`).then(answer('planner')),
    fetch(`${url}/function/cluster-status`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' }).then(answer('cluster-status')),
  ]);
}

function assertServed(answers: Answer[], when: string): void {
  for (const a of answers) {
    assert.is(a.internal, null, `${when}: ${a.fn} was answered by the gateway, not the function: ${a.status} ${a.body}`);
    assert.not.match(a.body, NOT_SERVING, `${when}: ${a.fn}: ${a.body}`);
  }
  assert.is(answers[0]?.status, 200, `${when}: the planner serves its OpenAPI document`);
}

for (const mode of ['shared', 'process', 'isolated'] as GatewayMode[]) {
  test(`${mode} mode: a call sent before /healthz is 200 is held and served; the moment it is 200 every function serves`, async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'g-ready-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const starting = startGateway({
      stackFile: writeReducedStack(home, ['planner', 'cluster-status']), mode, home, port, cron: false,
      env: { KUBECONFIG: path.join(home, 'no-cluster'), LOG_LEVEL: 'silent' }, distRoot: path.join(repoRoot, 'dist'),
    });
    starting.catch(() => undefined);
    try {
      // the admin token is written before the gateway listens; `await starting` would wait past the moment that matters
      const token = () => readFileSync(path.join(home, 'admin-token'), 'utf8').trim();
      let early: Promise<Answer[]> | undefined;
      const before: string[] = [];
      let status = 0;
      for (let i = 0; i < 6000 && status !== 200; i++) {
        const res = await fetch(`${url}/healthz`).catch(() => undefined);
        status = res?.status ?? 0;
        if (res && status !== 200) {
          before.push(`${status} ${res.headers.get('retry-after')} ${await res.text()}`);
          early ??= callBoth(url, token());
        }
        if (status !== 200) await new Promise((r) => setTimeout(r, 5));
      }
      assert.is(status, 200, 'the gateway became healthy');
      assertServed(await callBoth(url, token()), 'at the first 200');
      for (const b of before) assert.match(b, /^503 1 starting: \d+ of 2 functions serve; waiting for /, b);
      // functions in their own processes take a while to start: there is always a moment before 200 to call in
      if (mode !== 'shared') assert.ok(early, 'a call was sent while /healthz said 503');
      if (early) assertServed(await early, 'sent before /healthz was 200');
    } finally {
      await (await starting.catch(() => undefined))?.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
}

test.run();
