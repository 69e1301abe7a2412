/**
 * Canary releases on kube-sim's home lab with the demo apps running for real, typed into the CLI: a canary at 20 %
 * gets about 20 % of the requests sent through the Service (counted from the apps' own /metrics), is compared per
 * version, and promote / abort each leave exactly one version (the real kubectl); bad input changes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startReleaseStack } from '../../testing/release-stack.js';

const stack = await startReleaseStack({ functions: ['planner', 'canary', 'canary-status'] });
test.after(() => stack.stop());

const listings = 'http://placemyparents.apps.svc.cluster.local/api/listings';
/** name=image×replicas of every placemyparents Deployment, as kubectl lists them */
const versions = async () => (await stack.kubectl('get', 'deployments', '-n', 'apps', '-l', 'app=placemyparents', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image}×{.spec.replicas} {end}')).trim().split(' ').sort();

async function send(n: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < n; i += 8) {
    const batch = await Promise.all(Array.from({ length: Math.min(8, n - i) }, () => stack.get(listings)));
    for (const r of batch) {
      const v = /"version":"([^"]+)"/.exec(r.body)?.[1] ?? `HTTP ${r.status}`;
      seen[v] = (seen[v] ?? 0) + 1;
    }
  }
  return seen;
}

test('"Canary placemyparents 2.0 at 20%": 1 canary pod beside 4 stable; of 250 requests through the Service about 20 % reach 2.0, as its own metrics count them', async () => {
  const r = await stack.cli(['--yes', 'Canary placemyparents 2.0 at 20%']);
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /1 canary pod beside 4 stable = 20% of requests/);
  assert.equal(await versions(), ['placemyparents-canary=registry.local/placemyparents:2.0×1', 'placemyparents=registry.local/placemyparents:1.4×4']);
  // 250, so that at 20 % the canary alone has the 50 requests a comparison needs
  const answered = await send(250);
  const status = await stack.cli(['--json', 'How is the canary doing?']);
  const data = (JSON.parse(status.out) as { data: { s1: { stable: { requests: number; version: string }; canary: { requests: number; version: string }; verdict: string } } }).data.s1;
  assert.equal([data.stable.version, data.canary.version], ['1.4', '2.0']);
  assert.is(data.stable.requests + data.canary.requests, 250, 'every request counted once, probes and scrapes left out');
  const share = data.canary.requests / 250;
  // round-robin over 5 ready pods gives exactly 1 in 5; ±5 points of tolerance for a pod that turned ready late
  assert.ok(share >= 0.15 && share <= 0.25, `canary share ${share} (${JSON.stringify(answered)})`);
  assert.is(data.canary.requests, answered['2.0'], 'the metrics agree with what the requests were answered by');
  assert.is(data.verdict, 'no-clear-difference', JSON.stringify(data));
});

test('a second canary while one runs is refused, and nothing changes', async () => {
  const before = await versions();
  const r = await stack.cli(['--yes', 'Canary placemyparents 2.2 at 20%']);
  assert.match(r.out + r.err, /A canary of placemyparents already runs \(2\.0, deployment placemyparents-canary\); promote or abort it first/);
  assert.equal(await versions(), before);
});

test('"Promote the canary": the stable runs 2.0 on its 3 pods, the canary is gone, the app answers 2.0', async () => {
  const r = await stack.cli(['--yes', 'Promote the canary']);
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /canary promoted: .*placemyparents serves placemyparents:2\.0 only/);
  assert.equal(await versions(), ['placemyparents=registry.local/placemyparents:2.0×3']);
  assert.equal(await send(12), { '2.0': 12 });
});

test('promote or abort with no canary: a clear answer, nothing changed', async () => {
  for (const [cmd, word] of [['Promote the canary', 'promote'], ['Abort the canary', 'abort']] as const) {
    const r = await stack.cli(['--yes', cmd]);
    assert.match(r.out + r.err, new RegExp(`No canary runs, so there is nothing to ${word}; nothing was changed`));
  }
  assert.equal(await versions(), ['placemyparents=registry.local/placemyparents:2.0×3']);
});

test('a slow canary (2.2, +350 ms) is measured slower; "Abort the canary" leaves 2.0 alone on 3 pods', async () => {
  const started = await stack.cli(['--yes', 'Canary placemyparents 2.2 at 20%']);
  assert.is(started.code, 0, started.out + started.err);
  await send(250);
  const status = await stack.cli(['How is the canary doing?']);
  assert.match(status.out, /canary 2\.2 \(1 pod\): \d+ requests, 100% ok, .*Verdict: canary worse — slower \(p95 \d+(\.\d+)? ms vs \d+(\.\d+)? ms\)/, status.out);
  assert.match(status.out, /Say "Abort the canary"/);
  const r = await stack.cli(['--yes', 'Abort the canary']);
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /canary aborted: .*placemyparents serves placemyparents:2\.0 only/);
  assert.equal(await versions(), ['placemyparents=registry.local/placemyparents:2.0×3']);
});

test('a canary of a version the registry does not have fails to pull, is removed again, and says so', async () => {
  const r = await stack.cli(['--yes', 'Canary placemyparents 9.9 at 20%']);
  assert.is.not(r.code, 0);
  assert.match(r.out + r.err, /the canary placemyparents:9\.9 of apps\/placemyparents could not start: .*(ErrImagePull|ImagePullBackOff).*it was removed and placemyparents is back at 3 replicas of placemyparents:2\.0, so nothing is left changed/, r.out + r.err);
  assert.equal(await versions(), ['placemyparents=registry.local/placemyparents:2.0×3']);
});

test.run();
