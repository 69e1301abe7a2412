import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as node from './handler.js';
import { drainable } from './handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(node); });
test.after(async () => { await h.stop(); });

const unschedulable = () => h.kubectl('get', 'node', 'pi-2', '-o', 'jsonpath={.spec.unschedulable}');

test('cordon previews unschedulable false → true, changes nothing until approved, then kubectl shows it; uncordon undoes it', async () => {
  const preview = await h.call({ node: 'pi-2', action: 'cordon', dryRun: true });
  assert.is(preview.data.summary, 'would cordon pi-2 (unschedulable false → true)');
  assert.is(await unschedulable(), '');
  assert.is((await h.call({ node: 'pi-2', action: 'cordon' }, { approve: true })).status, 200);
  assert.is(await unschedulable(), 'true');
  assert.is((await h.call({ node: 'pi-2', action: 'cordon', dryRun: true })).data.summary, 'pi-2 is already cordoned; nothing would change');
  assert.is((await h.call({ node: 'pi-2', action: 'uncordon' }, { approve: true })).status, 200);
  assert.match(await unschedulable(), /^(false)?$/);
});

test('drain lists the pods it evicts, then cordons and evicts exactly those', async () => {
  const on = (await h.kubectl('get', 'pods', '-A', '--field-selector', 'spec.nodeName=pi-2', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}')).split('\n').filter(Boolean);
  const preview = await h.call({ node: 'pi-2', action: 'drain', dryRun: true });
  assert.is(preview.status, 200, JSON.stringify(preview.data));
  for (const p of on) assert.match(preview.data.summary ?? '', new RegExp(`- evict pod/${p} \\(`));
  const res = await h.call({ node: 'pi-2', action: 'drain', diffHash: (preview.data.data as { diffHash: string }).diffHash }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', new RegExp(`^drained pi-2: cordoned, ${on.length} pods? evicted`));
  assert.is(await unschedulable(), 'true');
});

test('an unknown node is a 404 naming the nodes there are', async () => {
  const res = await h.call({ node: 'pi-9', action: 'cordon', dryRun: true });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /^no node pi-9; the nodes are pi-1, pi-2, pi-3/);
});

test('a drain leaves DaemonSet and mirror pods where they are', () => {
  const out = drainable([
    { metadata: { name: 'web-1', namespace: 'web', uid: 'u1', ownerReferences: [{ kind: 'ReplicaSet' }] } },
    { metadata: { name: 'proxy-x', namespace: 'kube-system', uid: 'u2', ownerReferences: [{ kind: 'DaemonSet' }] } },
    { metadata: { name: 'etcd-pi-2', namespace: 'kube-system', uid: 'u3', annotations: { 'kubernetes.io/config.mirror': 'abc' } } },
  ]);
  assert.equal(out.evict.map((p) => p.name), ['web-1']);
  assert.equal(out.kept, ['kube-system/proxy-x (DaemonSet)', 'kube-system/etcd-pi-2 (mirror pod)']);
});

test.run();
