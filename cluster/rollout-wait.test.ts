import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { createKubeAccess, type KubeClients } from './kube-access.js';
import { waitForRollout } from './rollout-wait.js';
import { patchDeployment } from './deployment-patch.js';
import { imagePatch } from './image-plan.js';

let sim: KubeSim;
let clients: KubeClients;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const ref = { namespace: 'apps', name: 'placemyparents' };
const live = new AbortController().signal;

test.before(async () => {
  sim = await startKubeSim({ home, port: 0, timing: { tickMs: 5, pullMs: 20, podStartMs: 20, readyMs: 30, crashBackoffMs: 150, terminateMs: 30, secondMs: 50 } });
  clients = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
});
test.after(async () => {
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const setImage = (image: string) => patchDeployment(clients, ref, () => ({ plan: image, patch: { type: 'strategic', body: imagePatch('placemyparents', image) } }));

test('the deadline runs on the injected clock: once it has passed, the next look ends the wait', async () => {
  await setImage('registry.local/placemyparents:2.0');
  let t = 0;
  const clock = () => new Date((t += 60_000));
  const out = await waitForRollout(clients, ref, { timeoutMs: 30_000, signal: live, now: clock });
  assert.is(out.state, 'timeout');
  assert.is(out.polls, 1);
});

test('a rollout of a good image ends done with every wanted pod Ready', async () => {
  const out = await waitForRollout(clients, ref, { timeoutMs: 20_000, signal: live, now: () => new Date(), pollMs: 20 });
  assert.is(out.state, 'done', out.status);
  assert.is(out.status, 'deployment "placemyparents" successfully rolled out');
  assert.is(out.readyPods, 3);
  assert.equal(out.troubles, []);
});

test('an unpullable image ends the wait early as failed, naming the pod trouble', async () => {
  await setImage('registry.local/placemyparents:9.9-missing');
  const out = await waitForRollout(clients, ref, { timeoutMs: 20_000, signal: live, now: () => new Date(), pollMs: 20 });
  assert.is(out.state, 'failed');
  assert.ok(out.troubles.some((t) => t.reason === 'ImagePullBackOff' && t.fatal), JSON.stringify(out.troubles));
});

test('a cancelled step stops waiting and reports what it saw instead of throwing', async () => {
  // grafana's readiness probe fails in the demo cluster: its rollout never finishes and never fails outright.
  const out = await waitForRollout(clients, { namespace: 'monitoring', name: 'grafana' }, { timeoutMs: 20_000, signal: AbortSignal.abort(), now: () => new Date() });
  assert.is(out.state, 'timeout');
  assert.match(out.status, /^stopped waiting, the step was cancelled or ran out of time \(Waiting for deployment "grafana" rollout to finish/);
  assert.is(out.troubles[0]?.reason, 'NotReady');
});

test.run();
