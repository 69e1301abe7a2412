/**
 * "Deploy placemyparents version X and verify it works" on kube-sim's home lab, the demo apps running for real: the
 * smoke test calls the app; a failing one rolls back under the approval already given. Checked with the real kubectl
 * and real HTTP through the cluster proxy.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startReleaseStack } from '../../testing/release-stack.js';

const stack = await startReleaseStack({ functions: ['planner', 'deploy', 'verify'] });
test.after(() => stack.stop());

const image = async () => (await stack.kubectl('get', 'deployment', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).trim();
const listings = 'http://placemyparents.apps.svc.cluster.local/api/listings';

test('deploy 2.0 and verify: the smoke test passed, with its status and latency; kubectl shows 2.0 and the app answers 200', async () => {
  const r = await stack.cli(['--yes', 'Deploy placemyparents version 2.0 and verify it works']);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /Smoke test passed: GET http:\/\/placemyparents\.apps\.svc\.cluster\.local\/api\/listings → HTTP 200 in \d+ ms/);
  assert.is(await image(), 'registry.local/placemyparents:2.0');
  const got = await stack.get(listings);
  assert.is(got.status, 200);
  assert.match(got.body, /"version":"2\.0"/);
});

test('deploy 2.1 and verify: the smoke test fails (HTTP 500), 2.1 is rolled back under the same approval and 2.0 serves again', async () => {
  const r = await stack.cli(['--yes', 'Deploy placemyparents version 2.1 and verify it works']);
  assert.is.not(r.code, 0, 'the release failed');
  assert.match(r.out, /Smoke test FAILED: GET http:\/\/placemyparents\.apps\.svc\.cluster\.local\/api\/listings → HTTP 500 in \d+ ms/);
  assert.match(r.out, /verify failed, so placemyparents was rolled back under the same approval: placemyparents:2\.0 is serving again \(smoke test HTTP 200 in \d+ ms\)/);
  assert.is(await image(), 'registry.local/placemyparents:2.0');
  for (let i = 0; i < 6; i++) {
    const got = await stack.get(listings);
    assert.is(got.status, 200, got.body);
    assert.match(got.body, /"version":"2\.0"/);
  }
});

test('the approval a person sees says the plan deploys, verifies and rolls back if verify fails', async () => {
  const r = await stack.cli(['Deploy placemyparents version 2.1 and verify it works']);
  r.out += r.err;
  assert.match(r.out, /deployment\/placemyparents \(apps\): image placemyparents:2\.0 → 2\.1\n  only if verify \(s2\) fails: /, r.out);
  assert.match(r.out, /only if verify \(s2\) fails: run deploy name=placemyparents namespace=apps image=registry\.local\/placemyparents:2\.0 \(roll back to placemyparents:2\.0, what serves now, if verify fails\)/);
  assert.is(await image(), 'registry.local/placemyparents:2.0', 'nothing was changed');
});

test.run();
