#!/usr/bin/env node
// Writes k8s/knative/ from stack.yml, so the Knative manifests never drift from what faas-cli deploys: one Knative
// Service per function (same image, environment, secrets, resources, ServiceAccount), the Broker, the Triggers,
// and the NetworkPolicy that lets Knative's data plane in. `--check` writes nothing and exits 1 naming each stale
// file. ${VAR:-default} in stack.yml expands from the environment as faas-cli does (REGISTRY, TAG, OLLAMA_HOST).
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NAMESPACE = 'openfaas-fn'; // where k8s/10-rbac-functions.yaml puts the ServiceAccounts and faas-cli the secrets
const BROKER = 'ganglion';
const TARGET_EXTENSION = 'targetfunction'; // events/event-types.ts TARGET_EXTENSION; the test checks they agree
const SECRETS_DIR = '/var/openfaas/secrets'; // kernel/config.ts's default GANGLION_SECRETS_DIR
const HEADER = '# Generated from stack.yml by scripts/knative-manifests.mjs: edit stack.yml, then run the script again.\n';
// of-watchdog's own settings: under Knative there is no watchdog (queue-proxy does its job), only exec_timeout
// is also read by the runtime (the step's deadline).
const WATCHDOG_ONLY = new Set(['read_timeout', 'write_timeout']);
// Always warm, exactly one replica: runs and approvals are cluster objects, but a run's live event stream is served by the replica driving it.
const ALWAYS_ON = new Set(['planner']);
// Reached from outside the cluster (GitHub posts to it; it checks the signature with its secret).
const PUBLIC = new Set(['github-webhook']);

const expand = (text, env) => text.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_, name, dflt) => env[name] || (dflt ?? ''));

const seconds = (duration) => {
  const m = /^(\d+)s$/.exec(String(duration));
  if (!m) throw new Error(`stack.yml: timeout "${duration}" is not whole seconds ("305s"); the script maps it to timeoutSeconds`);
  return Number(m[1]);
};

export function readStack(stackFile, env) {
  return parse(expand(readFileSync(stackFile, 'utf8'), env), { merge: true });
}

/** The environment faas-cli gives a function: inline values, then each environment_file's (those win). */
function environmentOf(fn, dir, env) {
  const merged = { ...(fn.environment ?? {}) };
  for (const file of fn.environment_file ?? []) {
    Object.assign(merged, parse(expand(readFileSync(path.join(dir, file), 'utf8'), env)).environment ?? {});
  }
  return merged;
}

function knativeService(name, fn, environment) {
  const labels = fn.labels ?? {};
  const min = ALWAYS_ON.has(name) ? '1' : '0';
  const max = String(labels['com.openfaas.scale.max'] ?? '3');
  const secrets = fn.secrets ?? [];
  const env = Object.entries(environment)
    .filter(([k]) => !WATCHDOG_ONLY.has(k))
    .map(([k, v]) => ({ name: k, value: String(v) }));
  // the runtime listens on PORT (Knative sets it to the container port) on every interface: queue-proxy and the
  // kubelet reach it from outside the container, where of-watchdog reached it on 127.0.0.1
  env.push({ name: 'GANGLION_BIND', value: '0.0.0.0' });
  const volumes = [{ name: 'tmp', emptyDir: {} }];
  const volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }];
  if (secrets.length) {
    // files, as OpenFaaS mounts them: the runtime reads <dir>/<name> and some secrets have no variable to fall back on
    volumes.push({ name: 'secrets', projected: { sources: secrets.map((s) => ({ secret: { name: s, items: [{ key: s, path: s }] } })) } });
    volumeMounts.push({ name: 'secrets', mountPath: SECRETS_DIR, readOnly: true });
  }
  const podLabels = { 'app.kubernetes.io/part-of': 'ganglion', 'ganglion.dev/function': name };
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: { ...podLabels, ...(PUBLIC.has(name) ? {} : { 'networking.knative.dev/visibility': 'cluster-local' }) },
    },
    spec: {
      template: {
        metadata: {
          labels: podLabels,
          annotations: {
            'autoscaling.knative.dev/min-scale': min,
            'autoscaling.knative.dev/max-scale': ALWAYS_ON.has(name) ? '1' : max,
          },
        },
        spec: {
          serviceAccountName: fn.annotations['com.openfaas.serviceaccount'],
          // the gateway's read_timeout: how long a caller may wait for the answer
          timeoutSeconds: seconds(environment.read_timeout ?? environment.exec_timeout ?? '300s'),
          containers: [{
            name: 'function',
            image: fn.image,
            // the bundle itself, not of-watchdog: Knative's queue-proxy already proxies, times out and counts requests
            command: ['node', `dist-bundle/${name}.mjs`],
            ports: [{ containerPort: 8080 }],
            env,
            readinessProbe: { httpGet: { path: '/_/health' }, periodSeconds: 5 },
            resources: { requests: fn.requests, limits: fn.limits },
            securityContext: {
              readOnlyRootFilesystem: fn.readonly_root_filesystem === true,
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
            volumeMounts,
          }],
          volumes,
        },
      },
    },
  };
}

function broker() {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: { name: BROKER, namespace: NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'ganglion' } },
    // a step that still fails after these retries is dropped, as a failed step would be: the planner reports it
    spec: { delivery: { retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' } },
  };
}

function trigger(name, filter, subscriber, timeoutSeconds) {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name, namespace: NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'ganglion', 'ganglion.dev/function': subscriber } },
    spec: {
      broker: BROKER,
      filter: { attributes: filter },
      subscriber: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: subscriber } },
      delivery: { timeout: `PT${timeoutSeconds}S` },
    },
  };
}

// Replies are step.completed / step.failed / run.* events: none matches a step.requested Trigger, so an answer the
// Broker re-enqueues can never start another step (no reply loop).
function triggers(stack, timeouts) {
  const out = [];
  for (const name of Object.keys(stack.functions)) {
    if (name === 'planner') continue; // the planner is never a step of a plan
    out.push(trigger(`${name}-step-requested`, { type: 'dev.ganglion.step.requested', [TARGET_EXTENSION]: name }, name, timeouts.get(name)));
  }
  const planner = timeouts.get('planner');
  out.push(trigger('planner-commands', { type: 'dev.ganglion.command' }, 'planner', planner));
  out.push(trigger('planner-step-completed', { type: 'dev.ganglion.step.completed' }, 'planner', planner));
  out.push(trigger('planner-step-failed', { type: 'dev.ganglion.step.failed' }, 'planner', planner));
  return out;
}

// k8s/50-network-policies.yaml admits only the OpenFaaS namespace; under Knative, requests come from the activator
// and queue-proxy probes (knative-serving), the Broker's filter (knative-eventing) and the cluster-local gateway
// (kourier-system). NetworkPolicies add up, so this one only widens who may call the functions.
function networkPolicy() {
  const knative = ['knative-serving', 'knative-eventing', 'kourier-system'].map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'functions-knative', namespace: NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'ganglion' } },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: knative }], egress: [{ to: knative }] },
  };
}

const yamlDoc = (objects) => HEADER + objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

/** file name → content, for every file the script owns in k8s/knative/. */
export function knativeFiles({ stackFile = path.join(root, 'stack.yml'), env = process.env } = {}) {
  const dir = path.dirname(stackFile);
  const stack = readStack(stackFile, env);
  const files = new Map();
  const timeouts = new Map();
  for (const [name, fn] of Object.entries(stack.functions)) {
    const ksvc = knativeService(name, fn, environmentOf(fn, dir, env));
    timeouts.set(name, ksvc.spec.template.spec.timeoutSeconds);
    files.set(`service-${name}.yaml`, yamlDoc([ksvc]));
  }
  files.set('broker.yaml', yamlDoc([broker()]));
  files.set('triggers.yaml', yamlDoc(triggers(stack, timeouts)));
  files.set('network-policy.yaml', yamlDoc([networkPolicy()]));
  return files;
}

function main() {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, stack: { type: 'string' }, out: { type: 'string' } } });
  const out = path.resolve(values.out ?? path.join(root, 'k8s', 'knative'));
  const files = knativeFiles({ stackFile: values.stack ? path.resolve(values.stack) : undefined });
  const owned = (f) => f.endsWith('.yaml') && readFileSync(path.join(out, f), 'utf8').startsWith(HEADER);
  const existing = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.yaml') && owned(f)) : [];
  const stale = [...files].filter(([f, text]) => !existsSync(path.join(out, f)) || readFileSync(path.join(out, f), 'utf8') !== text).map(([f]) => f);
  const extra = existing.filter((f) => !files.has(f));
  if (values.check) {
    if (!stale.length && !extra.length) return;
    for (const f of stale) process.stderr.write(`${path.join(out, f)} is not what stack.yml gives\n`);
    for (const f of extra) process.stderr.write(`${path.join(out, f)} belongs to no function of stack.yml\n`);
    process.stderr.write('run: node scripts/knative-manifests.mjs\n');
    process.exitCode = 1;
    return;
  }
  mkdirSync(out, { recursive: true });
  for (const f of stale) writeFileSync(path.join(out, f), files.get(f));
  for (const f of extra) process.stderr.write(`${path.join(out, f)} belongs to no function of stack.yml: delete it\n`);
  process.stdout.write(`${stale.length} of ${files.size} files written to ${path.relative(process.cwd(), out) || '.'}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
