/**
 * "Train this model, deploy it, A/B test against current" on kube-sim's home lab: a worker Job runs the demo repo's
 * training script, the image it names (placemyparents 2.3) goes out as a canary, 300 test requests go through the
 * Service, and the run ends with the comparison built from the apps' own metrics and the promote/abort question.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDemoRepo, demoRepoPath, TRAINED_MODEL } from '../../workers/demo-repo.js';
import { startReleaseStack } from '../../testing/release-stack.js';

const stack = await startReleaseStack({ functions: ['planner', 'train-model', 'canary', 'canary-status'], env: { GANGLION_WORKER_TTL_S: '30' } });
createDemoRepo(demoRepoPath(stack.home));
test.after(() => stack.stop());

test('train → canary of the trained image → measured A/B comparison → the promote/abort question; nothing promoted yet', async () => {
  const r = await stack.cli(['--yes', '--json', 'Train this model, deploy it, A/B test against current']);
  const run = JSON.parse(r.out) as { status: string; summary: string; conclusion?: string; data: Record<string, { image?: string; stable?: { version: string; requests: number }; canary?: { version: string; requests: number }; verdict?: string; traffic?: { sent: number } }> };
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.data.s1?.image, TRAINED_MODEL.image, 'the image the training script printed');
  const ab = run.data.s3;
  assert.equal([ab?.stable?.version, ab?.canary?.version], ['1.4', TRAINED_MODEL.version]);
  assert.is(ab?.traffic?.sent, 300);
  assert.is((ab?.stable?.requests ?? 0) + (ab?.canary?.requests ?? 0), 300, 'every test request counted, from the pods\' own metrics');
  assert.ok((ab?.canary?.requests ?? 0) >= 50, 'the canary reached the minimum sample');
  assert.is(ab?.verdict, 'no-clear-difference', '2.3 behaves like 1.4');
  assert.match(run.conclusion ?? '', /^A\/B of the new model 2\.3 against 1\.4: no clear difference between the models, from measured requests\. Promote or abort\?/);
  const deployments = (await stack.kubectl('get', 'deployments', '-n', 'apps', '-l', 'app=placemyparents', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image} {end}')).trim().split(' ').sort();
  assert.equal(deployments, ['placemyparents-canary=registry.local/placemyparents:2.3', 'placemyparents=registry.local/placemyparents:1.4']);
});

test.run();
