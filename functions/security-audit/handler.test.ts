import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startKubeSim } from '@ganglion/kube-sim';
import { TEST_TIMING, waitFor } from '../../testing/home-lab.js';
import { callerFor, tempHome } from '../../testing/read-tool-harness.js';
import { scannerJobManifest } from './scanner-job.js';
import type { SecurityAuditData } from './handler.js';
import * as securityAudit from './handler.js';
import { createKubeAccess } from '../../cluster/kube-access.js';

const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home: tempHome(), timing: TEST_TIMING });
const call = callerFor(securityAudit, sim.kubeconfigPath);
const audit = async (input: object) => {
  const res = await call(input);
  assert.is(res.status, 200, JSON.stringify(res.data));
  return { summary: res.data.summary ?? '', data: res.data.data as SecurityAuditData };
};

test('a scannerImage the caller names (not the configured one) is refused 403 and no Job is created', async () => {
  const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
  const jobsBefore = (await c.batch.listJobForAllNamespaces()).items.length;
  const res = await call({ scannerImage: 'evil.example/miner:latest' });
  assert.is(res.status, 403, JSON.stringify(res.data));
  assert.is(res.data.error?.code, 'scanner_not_allowed');
  assert.match(res.data.error?.message ?? '', 'GANGLION_SCANNER_IMAGE');
  assert.is((await c.batch.listJobForAllNamespaces()).items.length, jobsBefore);
});

test('finds every risky pod seeded in home-lab, the privileged debug shell and the root backup first', async () => {
  const { summary, data } = await waitFor('legacy-backup and debug-shell running', async () => {
    const r = await audit({});
    return r.data.riskyPods.some((p) => p.pod.startsWith('data/legacy-backup-')) && r.data.riskyPods.some((p) => p.pod === 'default/debug-shell') ? r : undefined;
  });
  const debug = data.riskyPods.find((p) => p.pod === 'default/debug-shell');
  const backup = data.riskyPods.find((p) => p.pod.startsWith('data/legacy-backup-'));
  assert.is(data.riskyPods[0]?.pod, 'default/debug-shell');
  assert.is(debug?.worst, 'critical');
  assert.equal(debug?.rules.sort(), ['floating-tag', 'host-network', 'host-path', 'host-pid', 'missing-limits', 'privileged', 'run-as-root']);
  assert.is(backup?.worst, 'high');
  assert.equal(backup?.rules.sort(), ['added-capability', 'floating-tag', 'host-path', 'missing-limits', 'run-as-root']);
  const backupCaps = data.findings.filter((f) => f.pod === backup?.pod.split('/')[1] && f.rule === 'added-capability').map((f) => `${f.severity} ${f.message.split(' ')[4]?.replace(';', '')}`);
  assert.equal(backupCaps, ['high SYS_ADMIN', 'medium NET_ADMIN']);
  assert.match(summary, /^\d+ of \d+ running pods have security findings \(\d+ critical, \d+ high/);
  assert.match(summary, /\[critical\] default\/debug-shell: container debug-shell is privileged/);
  assert.match(summary, /\[high\] data\/legacy-backup-[\w-]+: mounts host path \/var\/lib\/rancher/);
  assert.match(summary, /image CVE scan skipped: set GANGLION_SCANNER_IMAGE/);
  assert.ok(data.images.some((i) => i.image === 'alpine:latest'));
  // ranked: no finding comes after one less severe
  const order = ['critical', 'high', 'medium', 'low'];
  assert.ok(data.findings.every((f, i) => i === 0 || order.indexOf(data.findings[i - 1]!.severity) <= order.indexOf(f.severity)));
});

test('a namespace and a minimum severity narrow the audit; an unknown namespace lists the real ones', async () => {
  const { data } = await audit({ namespace: 'data', minSeverity: 'high' });
  assert.ok(data.findings.length > 0);
  assert.ok(data.findings.every((f) => f.namespace === 'data' && (f.severity === 'high' || f.severity === 'critical')));
  const res = await call({ namespace: 'nope' });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /namespace "nope" does not exist .*existing namespaces: .*apps/);
});

test('the scanner Job runs Trivy as non-root without an API token, JSON out, on a Pi budget', () => {
  const job = scannerJobManifest({ scannerImage: 'aquasec/trivy:0.56.2', image: 'alpine:latest', namespace: 'ganglion-workers', deadlineSeconds: 300 }, 'ganglion-scan-x');
  const pod = job.spec?.template.spec;
  assert.equal(pod?.containers[0]?.args, ['image', '--format', 'json', '--quiet', '--cache-dir', '/cache', 'alpine:latest']);
  assert.is(pod?.automountServiceAccountToken, false);
  assert.is(pod?.securityContext?.runAsNonRoot, true);
  assert.is(pod?.containers[0]?.resources?.limits?.memory, '1Gi');
  assert.is(job.spec?.activeDeadlineSeconds, 300);
});

test.after(async () => { await sim.stop(); });
test.run();
