import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR } from '../package-dir.js';
import { startSampleServer, type SampleServer } from './sample-cluster.js';

let sim: SampleServer;

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { env: { ...process.env, HOME: sim.home }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

/** Rows of a kubectl table as arrays of cells split on runs of 2+ spaces. */
const rows = (out: string) => out.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
const row = (out: string, name: string) => rows(out).find((r) => r.includes(name));

test.before(async () => {
  sim = await startSampleServer();
});
test.after(async () => {
  await sim.close();
});

test('kubectl get pods -A prints the statuses kubectl derives: Running, CrashLoopBackOff, ImagePullBackOff, Completed, OOMKilled, Pending', async () => {
  const { code, out, err } = await kubectl('get', 'pods', '-A');
  assert.is(code, 0, err);
  assert.equal(rows(out)[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  assert.equal(row(out, 'placemyparents-7d9f4-x2k1p')?.slice(0, 5), ['apps', 'placemyparents-7d9f4-x2k1p', '1/1', 'Running', '0']);
  const crash = row(out, 'api-server-5c6b7-q8w9e') ?? [];
  assert.equal(crash.slice(2, 4), ['0/1', 'CrashLoopBackOff']);
  assert.match(crash[4], /^7 \(2m\d+s ago\)$/);
  assert.is(row(out, 'image-resizer-6f7g8-h9j0k')?.[3], 'ImagePullBackOff');
  assert.is(row(out, 'batch-report-1a2b3')?.[3], 'Completed');
  assert.is(row(out, 'memory-hog-4c5d6')?.[3], 'OOMKilled');
  assert.is(row(out, 'big-job-7e8f9')?.[3], 'Pending');
  assert.is(row(out, 'big-job-7e8f9')?.[5], '10m');
});

test('kubectl get pods -o wide adds IP and NODE; -l filters by label', async () => {
  const wide = await kubectl('get', 'pods', '-n', 'apps', '-o', 'wide');
  assert.equal(rows(wide.out)[0].slice(5, 7), ['IP', 'NODE']);
  assert.equal(row(wide.out, 'placemyparents-7d9f4-x2k1p')?.slice(5, 7), ['10.42.0.7', 'pi-1']);
  const labelled = await kubectl('get', 'pods', '-A', '-l', 'tier=web', '-o', 'name');
  assert.is(labelled.out.trim(), 'pod/placemyparents-7d9f4-x2k1p');
});

test('kubectl get nodes prints status, roles and version', async () => {
  const { out } = await kubectl('get', 'nodes');
  assert.equal(rows(out)[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
  assert.equal(row(out, 'pi-1'), ['pi-1', 'Ready', 'control-plane', '3d', 'v1.32.4+k3s1']);
  assert.equal(row(out, 'pi-2')?.slice(0, 3), ['pi-2', 'Ready', '<none>']);
});

test('kubectl get deploy -A prints READY, UP-TO-DATE and AVAILABLE', async () => {
  const { out } = await kubectl('get', 'deploy', '-A');
  assert.equal(rows(out)[0], ['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.equal(row(out, 'placemyparents')?.slice(0, 5), ['apps', 'placemyparents', '3/3', '3', '3']);
});

test('kubectl describe pod shows the container state, last termination, restarts and the pod\'s events', async () => {
  const { code, out, err } = await kubectl('describe', 'pod', '-n', 'apps', 'api-server-5c6b7-q8w9e');
  assert.is(code, 0, err);
  assert.match(out, /Name:\s+api-server-5c6b7-q8w9e/);
  assert.match(out, /Namespace:\s+apps/);
  assert.match(out, /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
  assert.match(out, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
  assert.match(out, /Restart Count:\s+7/);
  assert.match(out, /Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container main/);
});

test('kubectl logs --tail 5 prints the last five lines; --previous asks for the previous container', async () => {
  const { code, out, err } = await kubectl('logs', '-n', 'apps', 'api-server-5c6b7-q8w9e', '--tail', '5');
  assert.is(code, 0, err);
  assert.equal(out.trim().split('\n'), [16, 17, 18, 19, 20].map((n) => `api-server-5c6b7-q8w9e line ${n}`));
  const previous = await kubectl('logs', '-n', 'apps', 'api-server-5c6b7-q8w9e', '--previous', '--tail', '1');
  assert.is(previous.out.trim(), 'previous api-server-5c6b7-q8w9e line 20');
  assert.equal(sim.logs.calls.at(-1)?.opts, { container: 'main', previous: true, timestamps: false, tailLines: 1 });
  await kubectl('logs', '-n', 'apps', 'api-server-5c6b7-q8w9e', '--since=90s', '--timestamps');
  assert.equal(sim.logs.calls.at(-1)?.opts, { container: 'main', previous: false, timestamps: true, sinceSeconds: 90 });
});

test('kubectl logs of a pod whose container is waiting prints the server\'s 400 message', async () => {
  const { code, err } = await kubectl('logs', '-n', 'apps', 'image-resizer-6f7g8-h9j0k');
  assert.is(code, 1);
  assert.match(err, /container "main" in pod "image-resizer-6f7g8-h9j0k" is waiting to start/);
});

test('kubectl get events -A prints LAST SEEN, TYPE, REASON, OBJECT and MESSAGE', async () => {
  const { out } = await kubectl('get', 'events', '-A');
  assert.equal(rows(out)[0], ['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  const r = row(out, 'BackOff') ?? [];
  assert.equal(r.slice(2, 5), ['Warning', 'BackOff', 'pod/api-server-5c6b7-q8w9e']);
  assert.match(r[1], /^\d+s \(x31 over \d+m(\d+s)?\)$/);
});

test('kubectl get of a missing pod prints NotFound', async () => {
  const { code, err } = await kubectl('get', 'pod', '-n', 'apps', 'nope');
  assert.is(code, 1);
  assert.match(err, /Error from server \(NotFound\): pods "nope" not found/);
});

test('kubectl apply -f creates, then patches with the last-applied configuration', async () => {
  const file = path.join(sim.home, 'cm.yaml');
  const manifest = (image: string, replicas: number) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: web
data:
  mode: ${image}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
      - name: frontend
        image: registry.local/frontend:${image}
        env:
        - {name: A, value: "1"}
`;
  writeFileSync(file, manifest('1.0', 2));
  const first = await kubectl('apply', '-f', file);
  assert.is(first.code, 0, first.err);
  assert.match(first.out, /configmap\/settings created/);
  assert.match(first.out, /deployment.apps\/frontend created/);
  writeFileSync(file, manifest('1.1', 4));
  const second = await kubectl('apply', '-f', file);
  assert.is(second.code, 0, second.err);
  assert.match(second.out, /deployment.apps\/frontend configured/);
  const deploy = sim.store.mustGet('deployments', 'web', 'frontend');
  const spec = deploy.spec as { replicas: number; template: { spec: { containers: { image: string; env: unknown[] }[] } } };
  assert.is(spec.replicas, 4);
  assert.is(spec.template.spec.containers[0].image, 'registry.local/frontend:1.1');
  assert.equal(spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
  assert.ok(deploy.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']);
  assert.is(deploy.metadata.generation, 2);
  const same = await kubectl('apply', '-f', file);
  assert.match(same.out, /deployment.apps\/frontend unchanged/);
});

test('kubectl apply --server-side creates, updates, and removes what the same manager no longer applies', async () => {
  const file = path.join(sim.home, 'ssa.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: web\ndata:\n  a: "1"\n  dropped: "x"\n');
  const first = await kubectl('apply', '--server-side', '-f', file);
  assert.is(first.code, 0, first.err);
  assert.match(first.out, /configmap\/ssa serverside-applied/);
  await kubectl('patch', 'configmap', 'ssa', '-n', 'web', '--type=merge', '-p', '{"data":{"other":"kept"}}');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: web\ndata:\n  a: "2"\n');
  const second = await kubectl('apply', '--server-side', '-f', file);
  assert.is(second.code, 0, second.err);
  assert.equal(sim.store.mustGet('configmaps', 'web', 'ssa').data, { a: '2', other: 'kept' });
});

test('kubectl apply -f of a directory creates namespaces, RBAC, secrets, network policies, services and cronjobs; delete -f removes them', async () => {
  const dir = path.join(PACKAGE_DIR, 'server', 'testdata');
  const first = await kubectl('apply', '-f', dir);
  assert.is(first.code, 0, first.err);
  for (const line of ['namespace/ganglion created', 'serviceaccount/cluster-status created', 'clusterrole.rbac.authorization.k8s.io/ganglion-read created',
    'rolebinding.rbac.authorization.k8s.io/jobs created', 'secret/slack created', 'networkpolicy.networking.k8s.io/default-deny created', 'service/ollama created', 'cronjob.batch/report created']) {
    assert.match(first.out, line);
  }
  assert.equal(sim.store.mustGet('secrets', 'ganglion', 'slack').data, { webhook: Buffer.from('https://hooks.example/xyz').toString('base64') });
  const again = await kubectl('apply', '-f', dir);
  assert.match(again.out, 'cronjob.batch/report unchanged');
  const cron = await kubectl('get', 'cronjobs', '-n', 'ganglion');
  assert.equal(row(cron.out, 'report')?.slice(0, 5), ['report', '0 8 * * *', '<none>', 'False', '0']);
  const policies = await kubectl('get', 'networkpolicies,rolebindings', '-n', 'ganglion');
  assert.match(policies.out, /networkpolicy.networking.k8s.io\/default-deny\s+<none>\s+\d+s/);
  assert.match(policies.out, /rolebinding.rbac.authorization.k8s.io\/jobs\s+Role\/jobs\s+\d+s/);
  const removed = await kubectl('delete', '-f', dir);
  assert.is(removed.code, 0, removed.err);
  assert.is(sim.store.get('namespaces', undefined, 'ganglion'), undefined);
  assert.is(sim.store.get('clusterroles', undefined, 'ganglion-read'), undefined);
});

test('kubectl scale sets replicas through the scale subresource', async () => {
  const { code, out, err } = await kubectl('scale', 'deployment', 'placemyparents', '-n', 'apps', '--replicas=5');
  assert.is(code, 0, err);
  assert.match(out, /deployment.apps\/placemyparents scaled/);
  assert.is((sim.store.mustGet('deployments', 'apps', 'placemyparents').spec as { replicas: number }).replicas, 5);
});

test('kubectl create (typed clients sending protobuf) makes deployments, services, secrets and jobs as JSON would', async () => {
  const made = await kubectl('create', 'deployment', 'hello', '--image=nginx:1.27', '--replicas=2', '--port=8080', '-n', 'web');
  assert.is(made.code, 0, made.err);
  assert.match(made.out, 'deployment.apps/hello created');
  const deploy = sim.store.mustGet('deployments', 'web', 'hello');
  const spec = deploy.spec as { replicas: number; selector: unknown; strategy: { type: string }; template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } } };
  assert.is(spec.replicas, 2);
  assert.equal(spec.selector, { matchLabels: { app: 'hello' } });
  assert.is(spec.strategy.type, 'RollingUpdate');
  assert.equal(spec.template.metadata, { labels: { app: 'hello' } });
  assert.equal(spec.template.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  assert.is(spec.template.spec.containers[0].image, 'nginx:1.27');
  assert.match((await kubectl('expose', 'deployment', 'hello', '--port=80', '--target-port=8080', '-n', 'web')).out, 'service/hello exposed');
  assert.equal((sim.store.mustGet('services', 'web', 'hello').spec as { ports: unknown[] }).ports, [{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
  await kubectl('create', 'secret', 'generic', 'pw', '--from-literal=password=hunter2', '-n', 'web');
  assert.equal(sim.store.mustGet('secrets', 'web', 'pw').data, { password: Buffer.from('hunter2').toString('base64') });
  const job = await kubectl('create', 'job', 'once', '--image=busybox:1.36', '-n', 'web', '--', 'echo', 'hi');
  assert.is(job.code, 0, job.err);
  const jobSpec = sim.store.mustGet('jobs', 'web', 'once').spec as { template: { spec: { restartPolicy: string; containers: { command: string[] }[] } } };
  assert.equal([jobSpec.template.spec.restartPolicy, jobSpec.template.spec.containers[0].command], ['Never', ['echo', 'hi']]);
});

test('kubectl top reads simulated usage of running pods and their nodes from metrics.k8s.io', async () => {
  const nodes = await kubectl('top', 'nodes');
  assert.is(nodes.code, 0, nodes.err);
  assert.equal(rows(nodes.out)[0], ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
  assert.match(row(nodes.out, 'pi-1')?.[1] ?? '', /^\d+m$/);
  const pods = await kubectl('top', 'pods', '-n', 'apps');
  assert.is(pods.code, 0, pods.err);
  assert.ok(row(pods.out, 'api-server-5c6b7-q8w9e'), 'a running pod has usage');
  assert.not.ok(row(pods.out, 'image-resizer-6f7g8-h9j0k'), 'a pending pod has none');
});

test('kubectl auth can-i and auth whoami answer for the single admin user', async () => {
  assert.is((await kubectl('auth', 'can-i', 'delete', 'deployments', '-n', 'apps')).out.trim(), 'yes');
  assert.match((await kubectl('auth', 'whoami')).out, /Username\s+ganglion-sim-admin/);
});

test('kubectl delete removes the object', async () => {
  const { code, out, err } = await kubectl('delete', 'configmap', 'ssa', '-n', 'web');
  assert.is(code, 0, err);
  assert.match(out, /configmap "ssa" deleted/);
  assert.is(sim.store.get('configmaps', 'web', 'ssa'), undefined);
});

test.run();
