import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';
import * as canary from './handler.js';
import * as canaryStatus from '../canary-status/handler.js';

let h: Harness;
test.before(async () => { h = await startHarness(canary, { execTimeout: '60s' }); await h.sim.settle(2_000); });
test.after(() => h.stop());

const deployments = async () => (await h.kubectl('get', 'deployments', '-n', 'apps', '-l', 'app=placemyparents', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image}×{.spec.replicas} {end}')).trim().split(' ').sort();
const target = { name: 'placemyparents', namespace: 'apps' };

test('a dry run of "start" shows the canary and the stable\'s extra pod, and creates nothing', async () => {
  const res = await h.call({ action: 'start', ...target, tag: '2.0', percent: 20, dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /would start a canary: canary \(none\) → placemyparents:2\.0 × 1 pod \(20% of requests\) on deployment\/placemyparents-canary \(apps\); replicas 3 → 4 on deployment\/placemyparents \(apps\); 1 canary pod beside 4 stable = 20% of requests/);
  assert.equal(await deployments(), ['placemyparents=registry.local/placemyparents:1.4×3']);
});

test('promote or abort with no canary: 409 no_canary saying nothing was changed; status says none runs', async () => {
  for (const action of ['promote', 'abort']) {
    const res = await h.call({ action, ...target, dryRun: true });
    assert.is(res.status, 409);
    assert.is(res.data.error?.code, 'no_canary');
    assert.match(res.data.error?.message ?? '', /no canary of apps\/placemyparents runs .*; nothing was changed/);
  }
  const status = await h.callAs(canaryStatus, {});
  assert.match(status.data.summary ?? '', /^no canary runs; start one with/);
});

test('a canary of the version that already serves, or a second canary, is refused without a change', async () => {
  const same = await h.call({ action: 'start', ...target, tag: '1.4', dryRun: true });
  assert.is(same.data.error?.code, 'same_version');
  const started = await h.call({ action: 'start', ...target, tag: '2.0' }, { approve: true });
  assert.is(started.status, 200, JSON.stringify(started.data));
  const second = await h.call({ action: 'start', ...target, tag: '2.2' }, { approve: true });
  assert.is(second.status, 409);
  assert.match(second.data.error?.message ?? '', /a canary of apps\/placemyparents already runs \(2\.0 at 20%\); promote or abort it first\. Nothing was changed/);
  assert.equal(await deployments(), ['placemyparents-canary=registry.local/placemyparents:2.0×1', 'placemyparents=registry.local/placemyparents:1.4×4']);
  const aborted = await h.call({ action: 'abort', ...target }, { approve: true });
  assert.is(aborted.status, 200, JSON.stringify(aborted.data));
  assert.equal(await deployments(), ['placemyparents=registry.local/placemyparents:1.4×3']);
});

test('without an approval nothing starts', async () => {
  const res = await h.call({ action: 'start', ...target, tag: '2.0' });
  assert.ok(res.status >= 400, JSON.stringify(res.data));
  assert.equal(await deployments(), ['placemyparents=registry.local/placemyparents:1.4×3']);
});

test.run();
