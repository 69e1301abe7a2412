import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callerFor, tempHome, writeKubeconfig } from '../../testing/read-tool-harness.js';
import * as clusterStatus from '../../functions/cluster-status/handler.js';
import * as failingPods from '../../functions/failing-pods/handler.js';
import * as podLogs from '../../functions/pod-logs/handler.js';

/** A port nothing listens on: bind, note it, close. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('with the API server down, each tool fails at once with 503 naming the server and what to check', async () => {
  const port = await closedPort();
  const kubeconfig = writeKubeconfig(tempHome(), `http://127.0.0.1:${port}`);
  for (const [mod, input] of [[clusterStatus, {}], [failingPods, {}], [podLogs, { name: 'api-server' }]] as const) {
    const res = await callerFor(mod, kubeconfig)(input);
    assert.is(res.status, 503, mod.meta.name);
    assert.is(res.type, 'dev.ganglion.step.failed');
    assert.is(res.data.error?.code, 'cluster_unreachable');
    assert.match(res.data.error?.message ?? '', new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*check KUBECONFIG`));
  }
});

test('an unknown kubeconfig context is a 404 naming the contexts there are', async () => {
  const kubeconfig = writeKubeconfig(tempHome(), 'http://127.0.0.1:1', 'home');
  const res = await callerFor(failingPods, kubeconfig)({ cluster: 'prod' });
  assert.is(res.status, 404);
  assert.is(res.data.error?.message, 'kubeconfig has no context "prod"; known contexts: home');
});

test('a namespace that is not a namespace name is refused before any call', async () => {
  const res = await callerFor(failingPods, writeKubeconfig(tempHome(), 'http://127.0.0.1:1'))({ namespace: 'Not A Namespace' });
  assert.is(res.status, 400);
  assert.match(res.data.error?.message ?? '', /namespace: must be a namespace name/);
});

test.run();
