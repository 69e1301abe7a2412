import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { startKubeSim } from '@ganglion/kube-sim';
import { tempHome } from '../../testing/read-tool-harness.js';
import { k8sDir, readManifests, type Manifest, type ManifestBody } from '../../testing/k8s-files.js';
import { workerJobManifest } from '../../cluster/job-runner.js';
import { invokeCronJobManifest } from '../../cluster/invoke-cronjob.js';

const run = promisify(execFile);
const manifests = readManifests();

interface Validatable { validate(): void }
type ModelClass = new (data: unknown) => Validatable;

/** The kubernetes-models class for an apiVersion/kind: it validates against the Kubernetes OpenAPI JSON schema. */
async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  const mod = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
  const cls = mod[kind];
  if (typeof cls !== 'function') throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
  return cls as ModelClass;
}

async function schemaErrors(m: ManifestBody): Promise<string | undefined> {
  const Model = await modelFor(m.apiVersion, m.kind);
  try {
    new Model(m).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Fields the Kubernetes API does not define (a typo such as `portz`): kubernetes-models' schemas allow extra
 * properties, so the manifest is also read through client-node's generated models, which keep only known fields.
 */
function unknownFields(m: ManifestBody): string[] {
  const version = m.apiVersion.split('/').pop() ?? '';
  const type = `${version.charAt(0).toUpperCase()}${version.slice(1)}${m.kind}`;
  const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
  const { file: _file, ...body } = m as ManifestBody & { file?: string };
  const back: unknown = plain(ObjectSerializer.serialize(ObjectSerializer.deserialize(plain(body), type, ''), type, ''));
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (Array.isArray(a)) { a.forEach((x, i) => walk(x, Array.isArray(b) ? b[i] : undefined, `${at}[${i}]`)); return; }
    if (!a || typeof a !== 'object') return;
    // free-form maps (labels, data, selectors, quotas) hold any key
    if (/\.(labels|annotations|data|matchLabels|hard|limits|requests|default|defaultRequest|max|min|nodeSelector)$/.test(at)) return;
    const bo = b && typeof b === 'object' ? (b as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(a)) {
      if (!(k in bo)) out.push(`${at}.${k}`);
      else walk(v, bo[k], `${at}.${k}`);
    }
  };
  walk(plain(body), back, m.kind);
  return out;
}

test('k8s/ holds namespaces, per-function RBAC, the agent Job template, the ollama Service + EndpointSlice, cron-connector and NetworkPolicies', () => {
  const kinds = new Set(manifests.map((m) => m.kind));
  for (const k of ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'Service', 'EndpointSlice', 'Deployment', 'NetworkPolicy']) assert.ok(kinds.has(k), `no ${k}`);
  const slice = manifests.find((m) => m.kind === 'EndpointSlice');
  assert.is(slice?.metadata.labels?.['kubernetes.io/service-name'], 'ollama');
  assert.ok(manifests.some((m) => m.kind === 'Service' && m.metadata.name === 'ollama'));
  const cron = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'cron-connector');
  assert.match(JSON.stringify(cron), /ghcr\.io\/openfaas\/cron-connector:\d+\.\d+\.\d+/);
});

test('every manifest (and the Job inside the agent template) validates against the Kubernetes OpenAPI schemas offline', async () => {
  const failures: string[] = [];
  for (const m of manifests) {
    const err = await schemaErrors(m);
    if (err) failures.push(`${m.file} ${m.kind}/${m.metadata.name}: ${err}`);
    const unknown = unknownFields(m);
    if (unknown.length) failures.push(`${m.file} ${m.kind}/${m.metadata.name}: unknown fields ${unknown.join(', ')}`);
  }
  const template = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ganglion-agent-job') as (Manifest & { data: Record<string, string> }) | undefined;
  const job = parse(template?.data['job.yaml'] ?? '') as ManifestBody;
  assert.is(job.kind, 'Job');
  const jobErr = await schemaErrors(job);
  if (jobErr) failures.push(`agent Job template: ${jobErr}`);
  const jobUnknown = unknownFields(job);
  if (jobUnknown.length) failures.push(`agent Job template: unknown fields ${jobUnknown.join(', ')}`);
  assert.equal(failures, []);
});

test('the schema check can fail: a Role with a string for verbs, a Service with a text port, and misspelt fields are rejected', async () => {
  assert.ok(await schemaErrors({ file: '', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'x' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: 'list' }] }));
  assert.ok(await schemaErrors({ file: '', apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'http' }] } }));
  assert.equal(unknownFields({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { any: 'key' } }, spec: { portz: [{ port: 80 }], ports: [{ port: 80, targetPortt: 8080 }] } }), ['Service.spec.portz', 'Service.spec.ports[0].targetPortt']);
});

interface Selector { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }
interface EgressRule { to?: { namespaceSelector?: Selector; podSelector?: Selector; ipBlock?: unknown }[]; ports?: { port: number; protocol: string }[] }
interface Policy extends Manifest { spec: { podSelector: Selector; egress?: EgressRule[] } }
/** A label selector's verdict on a set of labels (matchLabels and the In/NotIn/Exists operators). */
function selects(sel: Selector, labels: Record<string, string>): boolean {
  const exprs = sel.matchExpressions ?? [];
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && exprs.every((e) =>
    e.operator === 'In' ? (e.values ?? []).includes(labels[e.key] ?? '\0') : e.operator === 'NotIn' ? !(e.values ?? []).includes(labels[e.key] ?? '\0') : e.operator === 'Exists' ? e.key in labels : false);
}

test('only verify Jobs reach the apps they smoke-test: their role label, the namespaces deploy may change, ports 80 and 8080, nothing else', () => {
  const policies = manifests.filter((m): m is Policy => m.kind === 'NetworkPolicy' && m.metadata.namespace === 'ganglion-workers');
  const smoke = policies.find((p) => p.metadata.name === 'workers-verify-smoke-egress');
  assert.ok(smoke, 'no NetworkPolicy lets verify reach the Service it checks');
  const podLabels = (role: 'verify' | 'run-tests') => workerJobManifest({ role, args: [], namespace: 'ganglion-workers', image: 'x', deadlineSeconds: 1, ttlSeconds: 1 }, 'j').spec?.template.metadata?.labels ?? {};
  assert.ok(selects(smoke.spec.podSelector, podLabels('verify')), 'the policy does not select the pods of a verify Job');
  assert.not.ok(selects(smoke.spec.podSelector, podLabels('run-tests')), 'a run-tests Job (a repository\'s own code) would reach the apps too');
  // the namespaces where deploy's ServiceAccount is bound (besides its own, the workers' and Ganglion's state): where apps are deployed
  const deployNs = manifests.filter((m) => m.kind === 'RoleBinding' && (m as Manifest & { subjects: { name: string }[] }).subjects.some((x) => x.name === 'ganglion-deploy'))
    .map((m) => m.metadata.namespace ?? '').filter((ns) => ns !== 'openfaas-fn' && ns !== 'ganglion-workers' && ns !== 'ganglion').sort();
  assert.ok(deployNs.length > 0);
  const rules = smoke.spec.egress ?? [];
  const peers = rules.flatMap((r) => r.to ?? []);
  assert.equal(peers.filter((p) => p.ipBlock !== undefined || p.podSelector !== undefined || !p.namespaceSelector), [], 'only whole app namespaces, no address ranges');
  for (const ns of [...deployNs, 'kube-system', 'openfaas', 'openfaas-fn', 'default']) {
    const reached = peers.some((p) => p.namespaceSelector && selects(p.namespaceSelector, { 'kubernetes.io/metadata.name': ns }));
    assert.is(reached, deployNs.includes(ns), `${ns}: ${reached ? 'reached' : 'not reached'}`);
  }
  assert.equal(rules.flatMap((r) => (r.ports ?? []).map((p) => `${p.port}/${p.protocol}`)).sort(), ['80/TCP', '8080/TCP']);
  // and the egress every other worker gets (a run-tests Job: a repository's code) reaches no pod in the cluster but DNS
  const all = policies.filter((p) => p.metadata.name !== 'workers-verify-smoke-egress' && selects(p.spec.podSelector, podLabels('run-tests'))).flatMap((p) => p.spec.egress ?? []).flatMap((r) => r.to ?? []);
  assert.ok(policies.some((p) => p.metadata.name === 'workers-egress' && selects(p.spec.podSelector, podLabels('run-tests'))), 'workers-egress selects run-tests pods');
  assert.equal(all.filter((p) => p.namespaceSelector && p.podSelector?.matchLabels?.['k8s-app'] !== 'kube-dns'), []);
});

test('the pods of automate\'s CronJobs (invoke) reach DNS and the gateway (openfaas, 8080) and nothing else; no other worker reaches the gateway', () => {
  const policies = manifests.filter((m): m is Policy => m.kind === 'NetworkPolicy' && m.metadata.namespace === 'ganglion-workers');
  const cron = invokeCronJobManifest({ name: 'ganglion-monitor-x', namespace: 'ganglion-workers', schedule: '*/5 * * * *', image: 'w', gatewayUrl: 'http://gateway.openfaas:8080', function: 'monitor', body: { monitor: 'x' }, labels: { 'ganglion.dev/monitor': 'x' }, ttlSeconds: 1 });
  const invokeLabels = cron.spec?.jobTemplate.spec?.template.metadata?.labels ?? {};
  const selecting = (labels: Record<string, string>) => policies.filter((p) => selects(p.spec.podSelector, labels) && (p.spec.egress !== undefined || p.metadata.name === 'workers-no-ingress'));
  assert.equal(selecting(invokeLabels).map((p) => p.metadata.name).sort(), ['workers-invoke-egress', 'workers-no-ingress']);
  const rules = selecting(invokeLabels).flatMap((p) => p.spec.egress ?? []);
  assert.equal(rules.flatMap((r) => r.to ?? []).filter((p) => p.ipBlock !== undefined), [], 'no address ranges: not the LAN, not the internet, not the API server');
  const reach = (ns: string, podLabels: Record<string, string>, port: number) => rules.some((r) => (r.ports ?? []).some((p) => p.port === port)
    && (r.to ?? []).some((peer) => peer.namespaceSelector && selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': ns }) && (!peer.podSelector || selects(peer.podSelector, podLabels))));
  assert.ok(reach('openfaas', { app: 'gateway' }, 8080), 'the gateway');
  assert.ok(reach('kube-system', { 'k8s-app': 'kube-dns' }, 53), 'DNS');
  for (const [ns, port] of [['openfaas-fn', 8080], ['apps', 80], ['apps', 8080], ['openfaas', 443], ['kube-system', 443]] as const) assert.not.ok(reach(ns, { app: 'x' }, port), `${ns}:${port}`);
  // the other workers do not get this policy (a run-tests Job must not call functions)
  const testsLabels = workerJobManifest({ role: 'run-tests', args: [], namespace: 'ganglion-workers', image: 'x', deadlineSeconds: 1, ttlSeconds: 1 }, 'j').spec?.template.metadata?.labels ?? {};
  assert.not.ok(selecting(testsLabels).some((p) => p.metadata.name === 'workers-invoke-egress'));
});

test('`kubectl apply -f k8s/` applies everything to kube-sim, and kubectl reads it back', async () => {
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home: tempHome(), timing: { tickMs: 20 } });
  try {
    const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { timeout: 60_000 })).stdout;
    const out = await kubectl('apply', '-f', k8sDir);
    const lines = out.trim().split('\n');
    assert.is(lines.length, manifests.length, out);
    assert.ok(lines.every((l) => / (created|configured|unchanged)$/.test(l)), out);
    const sas = await kubectl('get', 'serviceaccounts', '-n', 'openfaas-fn', '-o', 'name');
    assert.match(sas, /serviceaccount\/ganglion-deploy\n/);
    const slice = JSON.parse(await kubectl('get', 'endpointslice', 'ollama-mac', '-n', 'openfaas-fn', '-o', 'json')) as { endpoints: { addresses: string[] }[] };
    assert.equal(slice.endpoints[0]?.addresses, ['192.168.1.50']);
    const again = await kubectl('apply', '-f', k8sDir);
    assert.ok(again.trim().split('\n').every((l) => / (unchanged|configured)$/.test(l)), again);
  } finally {
    await sim.stop();
  }
});

test.run();
