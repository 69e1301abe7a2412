import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createKubeAccess } from '../cluster/kube-access.js';
import { stateClient } from '../cluster-state/ganglion-objects.js';
import { startStateCluster, type StateCluster } from '../testing/state-cluster.js';
import { findPipeline, pipelineName, readPipelines, savePipeline } from './ci-pipelines.js';

const run = promisify(execFile);
let c: StateCluster;
test.before(async () => { c = await startStateCluster(); });
test.after(async () => { await c.stop(); });

test('object names are DNS-1123 labels, and branches that clean up alike still get their own object', () => {
  const names = ['main', 'feature/x', 'Feature_x', 'feature-x', `release/${'v'.repeat(300)}`].map((branch) => pipelineName({ branch, name: 'placemyparents', namespace: 'apps' }));
  for (const n of names) assert.match(n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
  assert.is(new Set(names).size, names.length, names.join(' '));
  assert.match(names[0]!, /^apps-placemyparents-main-[0-9a-f]{8}$/);
});

test('a saved pipeline is a PushPipeline object every reader sees; saving it again keeps the first', async () => {
  const p = { branch: 'main', name: 'placemyparents', namespace: 'apps' };
  assert.is(await savePipeline(c.state, p), undefined);
  const again = await savePipeline(c.state, p);
  assert.equal(again && [again.branch, again.namespace, again.name], ['main', 'apps', 'placemyparents']);
  await savePipeline(c.state, { branch: 'release/1.x', name: 'api-server', namespace: 'apps' });
  // A second process (another replica, another HOME) with its own client reads the same list.
  const other = stateClient(createKubeAccess({ kubeconfig: c.sim.kubeconfigPath }), c.config);
  const all = (await readPipelines(other)).map((x) => `${x.branch} ${x.namespace}/${x.name}`).sort();
  assert.equal(all, ['main apps/placemyparents', 'release/1.x apps/api-server']);
  assert.ok((await readPipelines(other)).every((x) => !Number.isNaN(Date.parse(x.createdAt))));
  assert.is(await findPipeline(other, { branch: 'dev', name: 'placemyparents', namespace: 'apps' }), undefined);
});

test('kubectl lists the pipelines with their branch and Deployment', async () => {
  const { stdout } = await run('kubectl', ['--kubeconfig', c.sim.kubeconfigPath, '-n', c.config.state.namespace, 'get', 'pushpipelines']);
  assert.match(stdout, /BRANCH\s+DEPLOYMENT\s+NAMESPACE/);
  assert.match(stdout, /apps-placemyparents-main-[0-9a-f]{8}\s+main\s+placemyparents\s+apps/);
});

test('two saves of one pipeline at once make one object', async () => {
  const p = { branch: 'staging', name: 'frontend', namespace: 'web' };
  const results = await Promise.all([savePipeline(c.state, p), savePipeline(c.state, p), savePipeline(c.state, p)]);
  assert.is(results.filter((r) => r === undefined).length, 1, 'exactly one save created it');
  assert.is((await readPipelines(c.state)).filter((x) => x.branch === 'staging').length, 1);
});

test.run();
