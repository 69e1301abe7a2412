import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { startHomeLab, type FailingRow } from '../../testing/home-lab.js';
import { callerFor } from '../../testing/read-tool-harness.js';
import * as clusterStatus from '../../functions/cluster-status/handler.js';
import * as failingPods from '../../functions/failing-pods/handler.js';
import * as podLogs from '../../functions/pod-logs/handler.js';
import type { ClusterStatusData } from '../../functions/cluster-status/handler.js';
import type { PodLogsData } from '../../functions/pod-logs/handler.js';

// The real kubectl binary (the dispatcher picks a version from the server's /version) against the same kube-sim.
const lab = await startHomeLab();

/** Runs kubectl asynchronously: kube-sim answers from this very process, so a synchronous exec would deadlock. */
function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', lab.kubeconfig, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** kubectl's table as rows keyed by header (columns are separated by two or more spaces). */
function table(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = (head ?? '').trim().split(/\s{2,}/);
  return rows.map((r) => Object.fromEntries(r.trim().split(/\s{2,}/).map((v, i) => [cols[i] ?? `c${i}`, v])));
}

const failing = async () => ((await callerFor(failingPods, lab.kubeconfig)({})).data.data as { failing: FailingRow[]; total: number });
const status = async () => (await callerFor(clusterStatus, lab.kubeconfig)({})).data.data as ClusterStatusData;

test('kubectl get pods -A lists the same pods, every pod it shows as not running/ready is one failing-pods reports, with the same STATUS, READY and RESTARTS', async () => {
  const rows = table(await kubectl('get', 'pods', '-A'));
  const { failing: found, total } = await failing();
  assert.is(rows.length, total);
  // Completed (a finished Job's pod) is healthy for kubectl and for us.
  const troubled = rows.filter((r) => r.STATUS !== 'Completed' && (r.STATUS !== 'Running' || r.READY?.split('/')[0] !== r.READY?.split('/')[1]));
  const reported = found.map((f) => `${f.namespace}/${f.pod}`);
  for (const r of troubled) assert.ok(reported.includes(`${r.NAMESPACE}/${r.NAME}`), `${r.NAME} (${r.STATUS}) is reported`);
  // Anything more failing-pods reports is a crash loop caught between two crashes: kubectl shows its restarts.
  for (const f of found.filter((x) => !troubled.some((r) => r.NAME === x.pod))) assert.ok(f.restarts > 0, `${f.pod} has restarts`);
  for (const f of found) {
    const row = rows.find((r) => r.NAME === f.pod)!;
    assert.is(row.STATUS, f.status, `${f.pod} STATUS`);
    assert.is(row.READY, (f as FailingRow & { ready: string }).ready, `${f.pod} READY`);
    assert.is(Number(row.RESTARTS?.split(' ')[0]), f.restarts, `${f.pod} RESTARTS`);
  }
  const statuses = Object.fromEntries(found.map((f) => [f.owner ?? f.pod, f.status]));
  assert.equal(statuses, {
    'deployment/api-server': 'CrashLoopBackOff', 'deployment/image-resizer': 'CrashLoopBackOff', 'deployment/notifier': 'ImagePullBackOff',
    'deployment/batch-analytics': 'Pending', 'deployment/grafana': 'Running', 'log-shipper-5d8f7': 'Evicted',
  });
});

test('kubectl get nodes shows the node list, readiness and roles cluster-status returns', async () => {
  const rows = table(await kubectl('get', 'nodes'));
  const d = await status();
  assert.equal(rows.map((r) => [r.NAME, r.STATUS, r.ROLES]), d.nodes.map((n) => [n.name, n.status, n.roles.length ? n.roles.join(',') : '<none>']));
  assert.is(rows.length, 3);
});

test('kubectl get deploy -A shows the ready/desired counts cluster-status returns', async () => {
  const rows = table(await kubectl('get', 'deploy', '-A'));
  const d = await status();
  assert.equal(rows.map((r) => `${r.NAMESPACE}/${r.NAME} ${r.READY}`).sort(), d.workloads.map((w) => `${w.namespace}/${w.name} ${w.ready}/${w.desired}`).sort());
});

test('kubectl describe pod shows the state, last exit and restarts failing-pods reports for the api-server pod', async () => {
  const api = (await failing()).failing.find((f) => f.owner === 'deployment/api-server')!;
  const text = await kubectl('describe', 'pod', api.pod, '-n', api.namespace);
  assert.match(text, new RegExp(`Name:\\s+${api.pod}`));
  assert.match(text, /State:\s+Waiting\s+Reason:\s+CrashLoopBackOff/);
  assert.match(text, new RegExp(`Last State:\\s+Terminated\\s+Reason:\\s+${api.lastExit?.reason}\\s+Exit Code:\\s+${api.lastExit?.exitCode}`));
  assert.match(text, new RegExp(`Restart Count:\\s+${api.restarts}\\n`));
  assert.match(text, /Image:\s+registry\.local\/api-server:3\.2\.1/);
});

test('kubectl logs --tail 5 shows the same lines pod-logs returns for "api-server"', async () => {
  const res = await callerFor(podLogs, lab.kubeconfig)({ name: 'api-server', tailLines: 5 });
  const d = res.data.data as PodLogsData;
  const text = await kubectl('logs', d.pod, '-n', d.namespace, '--tail', '5');
  assert.is(text, d.logs[0]?.text);
  assert.match(text, /port: 5432\n}\n\nNode\.js v20\.18\.0\n$/);
});

test('kubectl get events -A carries the probe failure and the scheduling message failing-pods quotes', async () => {
  const text = await kubectl('get', 'events', '-A');
  const { failing: found } = await failing();
  const grafana = found.find((f) => f.owner === 'deployment/grafana')!;
  const pending = found.find((f) => f.owner === 'deployment/batch-analytics')!;
  const rows = table(text);
  const about = (name: string) => rows.filter((r) => (r.OBJECT ?? '') === `pod/${name}`);
  assert.ok(about(grafana.pod).some((r) => r.REASON === 'Unhealthy' && r.MESSAGE === grafana.message), 'Unhealthy event for grafana');
  assert.ok(about(pending.pod).some((r) => r.REASON === 'FailedScheduling' && r.MESSAGE === pending.message), 'FailedScheduling event for batch-analytics');
  assert.ok(about(found.find((f) => f.owner === 'deployment/api-server')!.pod).some((r) => r.REASON === 'BackOff'), 'BackOff event for api-server');
});

test.after(() => lab.sim.stop());
test.run();
