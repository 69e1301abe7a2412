/** What `npm start` brings up: kube-sim when no KUBECONFIG is set, and every stack.yml function behind the gateway. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseStack } from '../stack/stack-file.js';
import { spawnGateway } from './testing/spawn-gateway.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('npm start serves every stack.yml function, ready, and cluster-status answers from a started kube-sim through faas-cli invoke', async () => {
  const home = mkdtempSync(os.tmpdir() + '/g-');
  const stackFile = path.join(root, 'stack.yml');
  const expected = Object.keys(parseStack(readFileSync(stackFile, 'utf8'), {}).functions).sort();
  const gw = await spawnGateway({ home, stackFile, env: { KUBECONFIG: '', GANGLION_GATEWAY_PASSWORD: 'pw' } });
  try {
    const auth = { authorization: 'Basic ' + Buffer.from('admin:pw').toString('base64') };
    const list = (await (await fetch(`${gw.url}/system/functions`, { headers: auth })).json()) as Array<{ name: string; availableReplicas?: number }>;
    assert.equal(list.map((f) => f.name).sort(), expected);
    const notReady = list.filter((f) => f.availableReplicas !== 1).map((f) => f.name);
    assert.equal(notReady, [], `functions that failed to load: ${notReady.join(', ')}`);
    // faas-cli sends an empty Bearer unless told: refused; with -H "Authorization=Bearer <the stack's admin-token>" it answers
    const call = (authorization: string) => fetch(`${gw.url}/function/cluster-status.openfaas-fn`, { method: 'POST', body: '', headers: { 'content-type': 'text/plain', authorization } });
    assert.is((await call('Bearer ')).status, 401);
    const res = await call(`Bearer ${readFileSync(path.join(home, 'admin-token'), 'utf8').trim()}`);
    assert.is(res.status, 200);
    const { summary, data } = (await res.json()) as { summary: string; data: { unhealthy: { pod: string }[] } };
    assert.match(summary, /ganglion-sim/);
    // served once the demo cluster's pods have started: only home-lab's seeded faults are unhealthy, not pods still starting
    const seeded = /^(api-server|image-resizer|notifier|batch-analytics|grafana|log-shipper)-/;
    assert.equal(data.unhealthy.map((f) => f.pod).filter((p) => !seeded.test(p)), [], summary);
  } finally {
    await gw.stop();
  }
});

test.run();
