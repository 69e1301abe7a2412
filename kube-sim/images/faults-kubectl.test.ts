import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeApiServer, type KubeApiServer } from '../server/http-server.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { testCluster } from '../controllers/testing/test-cluster.js';

// the real kubectl against kube-sim's home lab: broken workloads fail as on a real node, and fixing the spec heals them
// (busybox:1.37, as the home lab scripts busybox:1.36 to end after a second like its backup Job)
const home = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-faults-'));
const { store, controllers } = await testCluster('home-lab');
let server: KubeApiServer;
let kubeconfig = '';

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, '-n', 'faults', ...args], { env: { ...process.env, HOME: home }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

interface PodView { name: string; phase: string; reason: string; message: string; ready: boolean; restarts: number; last: { reason?: string; exitCode?: number; message?: string } }

/** The app's pods as `kubectl get pods -o json` shows them. */
async function podsOf(app: string): Promise<PodView[]> {
  const r = await kubectl('get', 'pods', '-l', `app=${app}`, '-o', 'json');
  assert.is(r.code, 0, r.err);
  const items = (JSON.parse(r.out) as { items: { metadata: { name: string }; status: { phase: string; containerStatuses?: Record<string, never>[] } }[] }).items;
  return items.map((p) => {
    const cs = (p.status.containerStatuses?.[0] ?? {}) as { state?: Record<string, { reason?: string; message?: string }>; ready?: boolean; restartCount?: number; lastState?: { terminated?: PodView['last'] } };
    const [, detail] = Object.entries(cs.state ?? {})[0] ?? ['', {}];
    return { name: p.metadata.name, phase: p.status.phase, reason: detail.reason ?? '', message: detail.message ?? '', ready: cs.ready ?? false, restarts: cs.restartCount ?? 0, last: cs.lastState?.terminated ?? {} };
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rolledOut(name: string): Promise<void> {
  const r = await kubectl('rollout', 'status', `deploy/${name}`, '--timeout=60s');
  assert.is(r.code, 0, r.err);
  const pods = await podsOf(name);
  assert.ok(pods.length > 0 && pods.every((p) => p.phase === 'Running' && p.ready), JSON.stringify(pods));
}

/** kubectl apply of a one-container Deployment `name` (labelled app=name); `container` is its YAML flow mapping. */
async function applyDeployment(name: string, container: string): Promise<void> {
  const file = path.join(home, `${name}.yaml`);
  writeFileSync(file, [
    'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: ${name}, namespace: faults}`,
    'spec:', `  selector: {matchLabels: {app: ${name}}}`, '  template:', `    metadata: {labels: {app: ${name}}}`, '    spec:', '      containers:',
    `        - ${container}`, '',
  ].join('\n'));
  const r = await kubectl('apply', '-f', file);
  assert.is(r.code, 0, r.err);
}

test.before(async () => {
  server = await startKubeApiServer({ store, logs: controllers.logs, token: 't0ken', port: 0, gracefulPodDeletion: true });
  kubeconfig = writeKubeconfig(home, server.url, 't0ken');
  const r = await kubectl('create', 'namespace', 'faults');
  assert.is(r.code, 0, r.err);
});
test.after(async () => {
  await controllers.stop();
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

test('redis:no-such-tag fails to pull with containerd\'s message, then kubectl set image redis:7 makes it ready', async () => {
  assert.is((await kubectl('create', 'deployment', 'cache', '--image=redis:no-such-tag')).code, 0);
  const pod = await until('ImagePullBackOff', async () => (await podsOf('cache')).find((p) => p.reason === 'ImagePullBackOff'));
  assert.is(pod.phase, 'Pending');
  assert.is(pod.message, 'Back-off pulling image "redis:no-such-tag"');
  const described = await kubectl('describe', 'pod', pod.name);
  for (const line of [
    /Normal\s+Pulling\s+.*Pulling image "redis:no-such-tag"/,
    /Warning\s+Failed\s+.*Failed to pull image "redis:no-such-tag": rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/redis:no-such-tag": failed to resolve reference "docker\.io\/library\/redis:no-such-tag": docker\.io\/library\/redis:no-such-tag: not found/,
    /Warning\s+Failed\s+.*Error: ErrImagePull/,
    /Normal\s+BackOff\s+.*Back-off pulling image "redis:no-such-tag"/,
    /Warning\s+Failed\s+.*Error: ImagePullBackOff/,
  ]) assert.match(described.out, line);
  assert.is((await kubectl('set', 'image', 'deploy/cache', 'redis=redis:7')).code, 0);
  await rolledOut('cache');
});

test('busybox told to run perl is a StartError (exit 128) in CrashLoopBackOff with restarts; a command it has heals it', async () => {
  assert.is((await kubectl('create', 'deployment', 'perl', '--image=busybox:1.37', '--', 'perl', '-e', 'print "hi"')).code, 0);
  const pod = await until('2 restarts in CrashLoopBackOff', async () => (await podsOf('perl')).find((p) => p.restarts >= 2 && p.reason === 'CrashLoopBackOff'));
  assert.is(pod.phase, 'Running');
  assert.not.ok(pod.ready);
  assert.equal([pod.last.reason, pod.last.exitCode], ['StartError', 128]);
  assert.match(pod.last.message ?? '', 'unable to start container process: exec: "perl": executable file not found in $PATH: unknown');
  const described = await kubectl('describe', 'pod', pod.name);
  assert.match(described.out, /Warning\s+Failed\s+.*Error: failed to create containerd task: .*exec: "perl": executable file not found in \$PATH: unknown/);
  assert.match(described.out, /Warning\s+BackOff\s+.*Back-off restarting failed container busybox/);
  const get = await kubectl('get', 'pod', pod.name);
  assert.match(get.out, /CrashLoopBackOff/);
  const fixed = await kubectl('patch', 'deploy/perl', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command","value":["sleep","3600"]}]');
  assert.is(fixed.code, 0, fixed.err);
  await rolledOut('perl');
});

test('sh -c "perl …" in busybox exits 127 saying "sh: perl: not found" and crash-loops', async () => {
  assert.is((await kubectl('create', 'deployment', 'script', '--image=busybox:1.37', '--', 'sh', '-c', 'perl -e "print 1"')).code, 0);
  const pod = await until('a restart after exit 127', async () => (await podsOf('script')).find((p) => p.restarts >= 2 && p.reason === 'CrashLoopBackOff'));
  assert.equal([pod.last.reason, pod.last.exitCode], ['Error', 127]);
  const logs = await kubectl('logs', pod.name, '--previous');
  assert.is(logs.out, 'sh: perl: not found\n');
  const fixed = await kubectl('set', 'image', 'deploy/script', 'busybox=redis:7');
  assert.is(fixed.code, 0, fixed.err);
  // redis:7 is Debian: it has perl, so the same script runs
  await rolledOut('script');
});

test('a memory limit below what mysql needs is OOMKilled (137); raising it heals the Deployment', async () => {
  await applyDeployment('db', '{name: mysql, image: "mysql:8.4", env: [{name: MYSQL_ROOT_PASSWORD, value: pw}], resources: {limits: {memory: 256Mi}}}');
  const pod = await until('OOMKilled', async () => (await podsOf('db')).find((p) => p.last.reason === 'OOMKilled'));
  assert.is(pod.last.exitCode, 137);
  assert.is((await kubectl('set', 'resources', 'deploy/db', '--limits=memory=512Mi')).code, 0);
  await rolledOut('db');
});

test('a request no node can hold is Pending with the scheduler\'s message; a smaller one schedules', async () => {
  assert.is((await kubectl('create', 'deployment', 'big', '--image=nginx:1.27')).code, 0);
  assert.is((await kubectl('set', 'resources', 'deploy/big', '--requests=memory=64Gi')).code, 0);
  const message = '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const pod = await until('an unschedulable pod', async () => {
    const r = await kubectl('get', 'pods', '-l', 'app=big', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="PodScheduled")].message}{"\\n"}{end}');
    return r.out.split('\n').find((l) => l.endsWith(message))?.split(' ')[0];
  });
  const described = await kubectl('describe', 'pod', pod);
  assert.match(described.out, /Status:\s+Pending/);
  assert.match(described.out, /PodScheduled\s+False/);
  assert.match(described.out, `Warning  FailedScheduling`);
  assert.match(described.out, message);
  assert.is((await kubectl('set', 'resources', 'deploy/big', '--requests=memory=64Mi')).code, 0);
  await rolledOut('big');
});

test('a nodeSelector no node matches is Pending with the scheduler\'s message; dropping it schedules', async () => {
  assert.is((await kubectl('create', 'deployment', 'pinned', '--image=nginx:1.27')).code, 0);
  const patch = (value: unknown) => kubectl('patch', 'deploy/pinned', '--type=merge', '-p', JSON.stringify({ spec: { template: { spec: { nodeSelector: value } } } }));
  assert.is((await patch({ disktype: 'ssd' })).code, 0);
  const message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  await until('an unschedulable pod', async () => {
    const r = await kubectl('get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}');
    return r.out.split('\n').includes(message);
  });
  assert.is((await patch(null)).code, 0);
  await rolledOut('pinned');
});

test('a readiness probe to a port nginx does not listen on fails with the kubelet\'s message; the right port makes it ready', async () => {
  await applyDeployment('web', '{name: nginx, image: "nginx:1.27-alpine", readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}}');
  const [pod] = await until('a running pod', async () => (await podsOf('web')).filter((p) => p.phase === 'Running'));
  const ip = (await kubectl('get', 'pod', pod.name, '-o', 'jsonpath={.status.podIP}')).out;
  const unhealthy = await until('an Unhealthy event', async () => {
    const events = await kubectl('get', 'events', '--field-selector', `involvedObject.name=${pod.name},reason=Unhealthy`, '-o', 'jsonpath={.items[*].message}');
    return events.out || undefined;
  });
  assert.match(unhealthy, `Readiness probe failed: Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`);
  assert.not.ok((await podsOf('web'))[0].ready);
  const fixed = await kubectl('patch', 'deploy/web', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/httpGet/port","value":80}]');
  assert.is(fixed.code, 0, fixed.err);
  await rolledOut('web');
});

test.run();
