import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, generateCluster } from '@ganglion/kube-sim';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { listDeployments, listNamespaces, listNodes, listPodWarnings, listPods } from '../../cluster/read-cluster.js';
import { readFailingPods } from '../../cluster/read-failing-pods.js';
import { tallyPods } from '../../cluster/pod-health.js';
import { buildReport, podLoadCollector } from './report-data.js';

// a plain API server over generated, already settled pods: nothing changes between the reads
const sim = await startKubeSim({ scenario: generateCluster({ pods: 1000 }), port: 0, home: mkdtempSync(path.join(os.tmpdir(), 'g-')), controllers: false });
const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients();
const to = new Date('2026-01-01T00:00:00Z');
const from = new Date(to.getTime() - 7 * 86_400_000);

test('the report from pods read in pages equals the report from one whole pod list', async () => {
  const [nodes, namespaces, deployments, pods, events] = await Promise.all([listNodes(c), listNamespaces(c), listDeployments(c), listPods(c), listPodWarnings(c)]);
  const inHand = podLoadCollector();
  for (const p of pods) inHand.add(p);
  const whole = buildReport({ cluster: 'sim', nodes, namespaces, deployments, pods: { ...tallyPods(pods, events, to.getTime()), ...inHand.load }, audit: [], alerts: [], from, to });
  assert.ok(whole.restarts.length > 0 && whole.nodes.some((n) => n.pods > 0 && n.cpuRequested > 0), 'the generated cluster has load and restarts');
  const collect = podLoadCollector();
  const tally = await readFailingPods(c, undefined, to.getTime(), 37, collect.add);
  const paged = buildReport({ cluster: 'sim', nodes, namespaces, deployments, pods: { ...tally, ...collect.load }, audit: [], alerts: [], from, to });
  assert.equal(paged, whole);
});

test.after(async () => { await sim.stop(); });
test.run();
