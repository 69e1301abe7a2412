import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as scale from './handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(scale); });
test.after(async () => { await h.stop(); });

async function replicas(namespace: string, name: string): Promise<string> {
  return h.kubectl('get', 'deploy', name, '-n', namespace, '-o', 'jsonpath={.spec.replicas}/{.status.readyReplicas}');
}

test('a dry run of "the web tier" (tier=web) shows current → 5 for every match and changes nothing', async () => {
  const before = await h.kubectl('get', 'deploy', '-A', '-l', 'tier=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas} {end}');
  const res = await h.call({ selector: 'tier=web', replicas: 5, dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  const changes = res.data.data?.changes as { object: string; field: string; before: number; after: number }[];
  assert.equal(changes.map((c) => c.object).sort(), ['deployment/docs-site', 'deployment/frontend', 'deployment/web-proxy']);
  assert.ok(changes.every((c) => c.field === 'replicas' && c.after === 5));
  assert.match(res.data.summary ?? '', /^would set replicas \d+ → 5 on deployment\/[a-z-]+ \(web\)/);
  assert.is(await h.kubectl('get', 'deploy', '-A', '-l', 'tier=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas} {end}'), before);
});

test('without approval nothing is scaled', async () => {
  const res = await h.call({ name: 'placemyparents', replicas: 2 });
  assert.is(res.status, 403);
  assert.is(await replicas('apps', 'placemyparents'), '3/3');
});

test('an approved scale of the web tier to 5 leaves 5 ready pods on each Deployment', async () => {
  const res = await h.call({ selector: 'tier=web', replicas: 5 }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /; 15\/15 pods ready$/);
  for (const name of ['frontend', 'web-proxy', 'docs-site']) assert.is(await replicas('web', name), '5/5', name);
});

test('scaling one Deployment down by name waits until it has settled', async () => {
  const res = await h.call({ name: 'placemyparents', replicas: 1 }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(res.data.summary, 'set replicas 3 → 1 on deployment/placemyparents (apps); 1/1 pods ready');
  assert.is(await replicas('apps', 'placemyparents'), '1/1');
});

test('a Deployment named in the wrong namespace is a 404 saying where it is', async () => {
  const res = await h.call({ name: 'placemyparents', namespace: 'web', replicas: 2, dryRun: true });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /no deployment "placemyparents" in namespace web of context ganglion-sim; it is in namespace apps$/);
});

test('a selector matching nothing and out-of-range replicas are refused', async () => {
  const none = await h.call({ selector: 'tier=nothing', replicas: 2, dryRun: true });
  assert.is(none.status, 404);
  assert.match(none.data.error?.message ?? '', /no deployment matches label selector tier=nothing/);
  const tooMany = await h.call({ name: 'placemyparents', replicas: 101, dryRun: true });
  assert.is(tooMany.status, 400);
  assert.match(tooMany.data.error?.message ?? '', /replicas/);
});

test.run();
