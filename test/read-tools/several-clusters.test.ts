import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startKubeSim } from '@ganglion/kube-sim';
import { callerFor, tempHome, writeKubeconfigs } from '../../testing/read-tool-harness.js';
import * as clusterStatus from '../../functions/cluster-status/handler.js';
import * as failingPods from '../../functions/failing-pods/handler.js';
import type { ClusterStatusData } from '../../functions/cluster-status/handler.js';

// Two clusters in one kubeconfig: the home lab (objects only, no controllers) and an empty spare.
const home = await startKubeSim({ port: 0, home: tempHome(), controllers: false });
const spare = await startKubeSim({ port: 0, home: tempHome(), scenario: 'empty', controllers: false });
const kubeconfig = writeKubeconfigs(tempHome(), [
  { name: 'home', server: home.url, token: home.token },
  { name: 'spare', server: spare.url, token: spare.token },
]);

test('the `cluster` input picks the kubeconfig context; without it the current context answers', async () => {
  const call = callerFor(clusterStatus, kubeconfig);
  const homeData = (await call({})).data.data as ClusterStatusData;
  assert.is(homeData.cluster, 'home');
  assert.equal(homeData.nodes.map((n) => n.name), ['pi-1', 'pi-2', 'pi-3']);
  const spareRes = await call({ cluster: 'spare' });
  assert.is(spareRes.status, 200);
  const spareData = spareRes.data.data as ClusterStatusData;
  assert.is(spareData.cluster, 'spare');
  assert.not.equal(spareData.nodes.map((n) => n.name), homeData.nodes.map((n) => n.name));
  assert.ok(!spareData.workloads.some((w) => w.name === 'placemyparents'));
  assert.match(spareRes.data.summary ?? '', /^Cluster spare: /);
});

test('failing-pods names the cluster it read', async () => {
  const res = await callerFor(failingPods, kubeconfig)({ cluster: 'spare' });
  assert.is((res.data.data as { cluster: string }).cluster, 'spare');
});

test.after(async () => {
  await home.stop();
  await spare.stop();
});
test.run();
