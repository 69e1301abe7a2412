/** k8s/knative/ is what scripts/knative-manifests.mjs makes of stack.yml, and every manifest passes Knative's own CRD schemas. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { k8sDir, readManifests, repoRoot, type Manifest } from '../../testing/k8s-files.js';
import { readCrdSchemas, schemaErrors, type CrdSchema } from '../../testing/structural-schema.js';
import { TARGET_EXTENSION } from '../../events/event-types.js';

const run = promisify(execFile);
const knativeDir = path.join(k8sDir, 'knative');
const script = path.join(repoRoot, 'scripts', 'knative-manifests.mjs');
const manifests = readManifests(knativeDir);
const crds: CrdSchema[] = ['serving-service.yaml', 'eventing-broker.yaml', 'eventing-trigger.yaml'].flatMap((f) => readCrdSchemas(path.join(knativeDir, 'crds', f)));
// the committed files use stack.yml's defaults: run the script as a shell without REGISTRY, TAG or OLLAMA_HOST would
const { REGISTRY: _r, TAG: _t, OLLAMA_HOST: _o, ...cleanEnv } = process.env;

interface Stack { functions: Record<string, { image: string; secrets?: string[]; annotations: Record<string, string> }> }
const stack = parse(readFileSync(path.join(repoRoot, 'stack.yml'), 'utf8').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')) as Stack;

interface Container { image: string; env: { name: string }[]; readinessProbe?: { httpGet?: { path: string } }; volumeMounts: { name: string; mountPath: string }[] }
interface KService extends Manifest {
  spec: { template: { metadata: { annotations: Record<string, string> }; spec: { serviceAccountName: string; containers: Container[]; volumes: { name: string; projected?: { sources: { secret: { name: string; items: { key: string; path: string }[] } }[] } }[] } } };
}
interface Trigger extends Manifest { spec: { broker: string; filter: { attributes: Record<string, string> }; subscriber: { ref: { name: string } } } }

function crdFor(m: Manifest): CrdSchema | undefined {
  return crds.find((c) => `${c.group}/${c.version}` === m.apiVersion && c.kind === m.kind);
}
const services = manifests.filter((m): m is KService => m.kind === 'Service');
const triggers = manifests.filter((m): m is Trigger => m.kind === 'Trigger');
const { file: _file, ...deployBody } = services.find((s) => s.metadata.name === 'deploy') as KService;

test('the committed k8s/knative files are exactly what stack.yml gives', async () => {
  const out = await run(process.execPath, [script, '--check'], { env: cleanEnv }).then(() => '', (err: { stderr: string }) => err.stderr);
  assert.is(out, '', out);
});

test('the check fails naming the stale file when stack.yml changes a function', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'knative-stack-'));
  try {
    cpSync(path.join(repoRoot, 'deploy'), path.join(dir, 'deploy'), { recursive: true });
    const text = readFileSync(path.join(repoRoot, 'stack.yml'), 'utf8').replace('limits: {memory: 320Mi, cpu: "1"}', 'limits: {memory: 512Mi, cpu: "1"}');
    writeFileSync(path.join(dir, 'stack.yml'), text);
    const err = await run(process.execPath, [script, '--check', '--stack', path.join(dir, 'stack.yml'), '--out', knativeDir], { env: cleanEnv }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    assert.is(err?.code, 1);
    assert.match(err?.stderr ?? '', /service-planner\.yaml is not what stack\.yml gives/);
    assert.not.match(err?.stderr ?? '', /service-deploy\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every Knative Service, Broker and Trigger passes the schema of the vendored Knative CRD', () => {
  assert.ok(manifests.length >= Object.keys(stack.functions).length + 2);
  for (const m of manifests) {
    if (m.kind === 'NetworkPolicy') {
      new NetworkPolicy(m).validate();
      continue;
    }
    const crd = crdFor(m);
    assert.ok(crd, `${m.file}: no vendored CRD for ${m.apiVersion} ${m.kind}`);
    const { file, ...body } = m;
    assert.equal(schemaErrors(crd.schema, body), [], `${file} ${m.kind}/${m.metadata.name}`);
  }
});

test('the schema check rejects an unknown field, a wrong type, a missing required field and a value outside an enum', () => {
  const service = crdFor(services[0] as Manifest)?.schema;
  const trigger = crdFor(triggers[0] as Manifest)?.schema;
  assert.ok(service && trigger);
  const broken = structuredClone(deployBody);
  const container = broken.spec.template.spec.containers[0] as Container & Record<string, unknown>;
  container.imagez = 'typo';
  (container as unknown as { ports: unknown[] }).ports = [{ containerPort: '8080' }];
  assert.equal(schemaErrors(service, broken), [
    '.spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string',
    '.spec.template.spec.containers[0].imagez: unknown field',
  ]);
  const noContainers = structuredClone(deployBody) as { spec: { template: { spec: Record<string, unknown> } } };
  delete noContainers.spec.template.spec.containers;
  assert.equal(schemaErrors(service, noContainers), ['.spec.template.spec.containers: required']);
  const { file: _f, ...triggerBody } = structuredClone(triggers[0] as Trigger);
  (triggerBody.spec as unknown as { broker: unknown }).broker = 42;
  assert.equal(schemaErrors(trigger, triggerBody), ['.spec.broker: expected string, got integer']);
  // Knative's CRDs declare no enum today; the check still honours one where a schema does
  assert.equal(schemaErrors({ type: 'object', properties: { policy: { type: 'string', enum: ['linear', 'exponential'] } } }, { policy: 'quadratic' }), [
    '.policy: "quadratic" is not one of ["linear","exponential"]',
  ]);
});

test('each function runs its stack.yml image as its own ServiceAccount from the RBAC file, ready on the runtime health path', () => {
  const accounts = readManifests().filter((m) => m.kind === 'ServiceAccount').map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
  assert.equal(services.map((s) => s.metadata.name).sort(), Object.keys(stack.functions).sort());
  for (const s of services) {
    const fn = stack.functions[s.metadata.name];
    const pod = s.spec.template.spec;
    const c = pod.containers[0] as Container;
    assert.is(c.image, fn?.image);
    assert.is(pod.serviceAccountName, fn?.annotations['com.openfaas.serviceaccount']);
    assert.ok(accounts.includes(`${s.metadata.namespace}/${pod.serviceAccountName}`), `${pod.serviceAccountName} is not in k8s/10-rbac-functions.yaml`);
    assert.is(c.readinessProbe?.httpGet?.path, '/_/health');
    // Knative refuses these: it sets them itself
    assert.equal(c.env.map((e) => e.name).filter((n) => ['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION'].includes(n)), []);
  }
});

test('secrets are files at /var/openfaas/secrets/<name>, exactly those stack.yml gives each function', () => {
  for (const s of services) {
    const pod = s.spec.template.spec;
    const want = stack.functions[s.metadata.name]?.secrets ?? [];
    const projected = pod.volumes.find((v) => v.projected)?.projected?.sources ?? [];
    assert.equal(projected.map((p) => p.secret.name), want, s.metadata.name);
    for (const p of projected) assert.equal(p.secret.items, [{ key: p.secret.name, path: p.secret.name }]);
    const mount = (pod.containers[0] as Container).volumeMounts.find((m) => m.mountPath === '/var/openfaas/secrets');
    assert.is(Boolean(mount), want.length > 0, s.metadata.name);
  }
});

test('the planner stays at exactly one warm replica; the other functions may scale to zero', () => {
  for (const s of services) {
    const a = s.spec.template.metadata.annotations;
    const scale = [a['autoscaling.knative.dev/min-scale'], a['autoscaling.knative.dev/max-scale']];
    if (s.metadata.name === 'planner') assert.equal(scale, ['1', '1']);
    else assert.is(scale[0], '0', s.metadata.name);
  }
});

test('a step.requested event reaches only the function its targetfunction names; the planner gets commands and step results', () => {
  const matching = (attrs: Record<string, string>) =>
    triggers.filter((t) => Object.entries(t.spec.filter.attributes).every(([k, v]) => v === '' || attrs[k] === v)).map((t) => t.spec.subscriber.ref.name);
  for (const name of Object.keys(stack.functions).filter((n) => n !== 'planner')) {
    assert.equal(matching({ type: 'dev.ganglion.step.requested', [TARGET_EXTENSION]: name }), [name]);
  }
  assert.equal(matching({ type: 'dev.ganglion.step.requested' }), []);
  assert.equal(matching({ type: 'dev.ganglion.command' }), ['planner']);
  // a function's answer carries no targetfunction and another type: re-enqueued by the Broker, it starts no step
  assert.equal(matching({ type: 'dev.ganglion.step.completed', [TARGET_EXTENSION]: 'deploy' }), ['planner']);
  assert.equal(matching({ type: 'dev.ganglion.step.failed' }), ['planner']);
  assert.ok(triggers.every((t) => t.spec.broker === 'ganglion'));
});

test.run();
