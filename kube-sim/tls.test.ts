import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from './index.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
let sim: KubeSim;

function clientFor(kubeconfig: string): { core: CoreV1Api; apps: AppsV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

function kubectl(kubeconfig: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, HOME: home }, timeout: 45_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

test.before(async () => {
  sim = await startKubeSim({ scenario: 'home-lab', home, controllers: false, tls: true });
});
test.after(async () => {
  await sim.stop();
});

test('over TLS the kubeconfig names an https server and trusts its certificate instead of skipping verification', () => {
  assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const text = readFileSync(sim.kubeconfigPath, 'utf8');
  assert.match(text, /certificate-authority-data: \S+/);
  assert.not.match(text, /insecure-skip-tls-verify/);
});

test('the real kubectl and client-node verify kube-sim\'s certificate and read the cluster', async () => {
  const r = await kubectl(sim.kubeconfigPath, 'get', 'nodes', '-o', 'name');
  assert.is(r.code, 0, r.err);
  assert.equal(r.out.trim().split('\n'), ['node/pi-1', 'node/pi-2', 'node/pi-3']);
  const c = clientFor(sim.kubeconfigPath);
  const nodes = await c.core.listNode();
  assert.equal(nodes.items.map((n) => n.metadata?.name), ['pi-1', 'pi-2', 'pi-3']);
  const deployments = await c.apps.listNamespacedDeployment({ namespace: 'apps' });
  assert.ok(deployments.items.some((d) => d.metadata?.name === 'placemyparents'));
});

test('a client that does not trust the certificate is refused', async () => {
  const untrusting = path.join(home, 'kubeconfig-without-ca');
  writeFileSync(untrusting, readFileSync(sim.kubeconfigPath, 'utf8').replace(/certificate-authority-data: \S+/, ''));
  const r = await kubectl(untrusting, 'get', 'nodes');
  assert.is.not(r.code, 0);
  assert.match(r.err, /certificate|x509/i);
  await clientFor(untrusting).core.listNode().then(
    () => assert.unreachable('an untrusted certificate was accepted'),
    (err: Error & { code?: string }) => assert.match(`${err.code ?? ''} ${err.message}`, /SELF_SIGNED|UNABLE_TO_VERIFY|CERT|certificate/i),
  );
});

test.run();
