import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { V1Job, V1PodSpec } from '@kubernetes/client-node';
import { workerJobManifest } from '../../cluster/job-runner.js';
import { invokeCronJobManifest } from '../../cluster/invoke-cronjob.js';
import { scannerJobManifest } from '../../functions/security-audit/scanner-job.js';
import { readManifests } from '../../testing/k8s-files.js';
import { restrictedViolations } from '../../testing/pod-security-restricted.js';

const manifests = readManifests();
const podOf = (job: V1Job): V1PodSpec => {
  const spec = job.spec?.template.spec;
  assert.ok(spec, 'the Job has a pod template');
  return spec;
};

test('ganglion-workers enforces the restricted pod-security level', () => {
  const ns = manifests.find((m) => m.kind === 'Namespace' && m.metadata.name === 'ganglion-workers');
  assert.is(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
});

test('worker Job pods (tests, coverage, review, verify, with or without an API token) satisfy the restricted profile', () => {
  for (const needsApi of [false, true]) {
    const job = workerJobManifest({ role: 'run-tests', args: ['--repo', 'https://example.com/a.git'], namespace: 'ganglion-workers', image: 'ghcr.io/ganglion/ganglion-worker:0.1.0', deadlineSeconds: 600, ttlSeconds: 300, runId: 'r1', stepId: 's1', needsApi, env: { OLLAMA_HOST: 'http://ollama:11434' } }, 'ganglion-run-tests-abc123');
    assert.equal(restrictedViolations(podOf(job)), [], `needsApi ${needsApi}`);
  }
});

test('the CronJob a monitor or report runs on, and the image scanner\'s Job, satisfy the restricted profile', () => {
  const cron = invokeCronJobManifest({ name: 'ganglion-monitor-pod-crash', namespace: 'ganglion-workers', image: 'ghcr.io/ganglion/ganglion-worker:0.1.0', schedule: '*/5 * * * *', function: 'monitor', body: { rule: 'pod-crash' }, gatewayUrl: 'http://gateway.openfaas:8080', ttlSeconds: 300 });
  const cronPod = cron.spec?.jobTemplate.spec?.template.spec;
  assert.ok(cronPod);
  assert.equal(restrictedViolations(cronPod), []);
  const scan = scannerJobManifest({ scannerImage: 'aquasec/trivy:0.50.0', image: 'nginx:1.25', namespace: 'ganglion-workers', deadlineSeconds: 300 }, 'ganglion-scan-abc123');
  assert.equal(restrictedViolations(podOf(scan)), []);
});

test('the agent Job template kept in k8s/ satisfies the restricted profile', () => {
  const cm = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ganglion-agent-job') as { data?: Record<string, string> } | undefined;
  const job = parse(cm?.data?.['job.yaml'] ?? '') as V1Job;
  assert.equal(restrictedViolations(podOf(job)), []);
});

test('the restricted check can fail: root, escalation, no seccomp, added capabilities and hostPath are each named', () => {
  const pod: V1PodSpec = {
    hostNetwork: true,
    securityContext: { runAsUser: 0 },
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [{ name: 'bad', image: 'x', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
  };
  const found = restrictedViolations(pod).join('\n');
  for (const rule of ['hostNetwork', 'runAsUser must not be 0', 'hostPath volumes', 'privileged must be false', 'allowPrivilegeEscalation must be false', 'runAsNonRoot must be true', 'seccompProfile.type', 'drop must include ALL', 'SYS_ADMIN', 'hostPort 80']) {
    assert.ok(found.includes(rule), `${rule} missing from:\n${found}`);
  }
  // the job-runner's pod before this change (no seccompProfile) is refused
  const before = podOf(workerJobManifest({ role: 'run-tests', args: [], namespace: 'ganglion-workers', image: 'w', deadlineSeconds: 60, ttlSeconds: 60 }, 'j'));
  const { seccompProfile: _dropped, ...withoutSeccomp } = before.securityContext ?? {};
  assert.equal(restrictedViolations({ ...before, securityContext: withoutSeccomp }), ['containers[worker]: seccompProfile.type must be RuntimeDefault or Localhost (on the container or the pod)']);
});

test.run();
