import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim } from '../kube-sim/index.js';
import { createKubeAccess } from './kube-access.js';
import { getJson, getText } from './get-json.js';

test('every GET of one cluster\'s clients goes through the same agent (one TLS session cache), not a new one per request', async () => {
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home: mkdtempSync(path.join(os.tmpdir(), 'g-')), controllers: false });
  const used = new Set<http.Agent>();
  // every request an agent sends passes its addRequest (not in @types/node)
  const proto = http.Agent.prototype as unknown as { addRequest: (...xs: unknown[]) => void };
  const addRequest = proto.addRequest;
  proto.addRequest = function (this: http.Agent, ...args: unknown[]) {
    used.add(this);
    addRequest.apply(this, args);
  };
  try {
    const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
    await getJson(c, '/api/v1/nodes');
    await getJson(c, '/api/v1/namespaces');
    const version = await getText(c, '/version');
    assert.match(version, /gitVersion/);
    assert.is(used.size, 1);
  } finally {
    proto.addRequest = addRequest;
    await sim.stop();
  }
});

test.run();
