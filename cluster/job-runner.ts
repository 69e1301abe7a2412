/**
 * Runs a worker agent as a batch/v1 Job: builds the Job (labels, deadline, TTL, Pi-sized resources, least-privilege
 * service account), waits for Complete/Failed, and reads the worker's result — the last log line — with the log tail.
 */
import { randomBytes } from 'node:crypto';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { GanglionError, isAbortError } from '../kernel/errors.js';
import { findResultLine, type ResultLine, type WorkerRole } from '../events/worker-result.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { tailToBytes } from './log-tail.js';

export const WORKER_SERVICE_ACCOUNT = 'ganglion-worker';
export const ROLE_LABEL = 'ganglion.dev/role';
export const LOG_TAIL_LINES = 40;

export interface WorkerJobSpec {
  role: WorkerRole;
  /** arguments after the role (`--repo …`) */
  args: string[];
  env?: Record<string, string>;
  namespace: string;
  image: string;
  deadlineSeconds: number;
  ttlSeconds: number;
  /** retries of a failed worker pod (default 0: a failed test run is an answer, not a fault) */
  backoffLimit?: number;
  runId?: string;
  stepId?: string;
  /** the verify worker reads the cluster; the others get no API token */
  needsApi?: boolean;
}

export interface WorkerJobOutcome {
  job: string;
  namespace: string;
  pod?: string;
  status: 'completed' | 'failed';
  /** the Job condition's reason: CompletionsReached, DeadlineExceeded, BackoffLimitExceeded… */
  reason: string;
  result?: ResultLine;
  logTail: string;
  durationMs: number;
}

/** A label value: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric. */
export function labelValue(raw: string | undefined): string {
  const v = (raw ?? '').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return v || 'none';
}

export function workerJobName(role: WorkerRole): string {
  return `ganglion-${role}-${randomBytes(3).toString('hex')}`;
}

export function workerJobManifest(spec: WorkerJobSpec, name: string): V1Job {
  const labels = { [ROLE_LABEL]: spec.role, 'ganglion.dev/run': labelValue(spec.runId), 'ganglion.dev/step': labelValue(spec.stepId), 'app.kubernetes.io/managed-by': 'ganglion', 'app.kubernetes.io/component': 'worker' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: spec.namespace, labels },
    spec: {
      backoffLimit: spec.backoffLimit ?? 0,
      activeDeadlineSeconds: spec.deadlineSeconds,
      ttlSecondsAfterFinished: spec.ttlSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: WORKER_SERVICE_ACCOUNT,
          automountServiceAccountToken: spec.needsApi === true,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 },
          containers: [{
            name: 'worker',
            image: spec.image,
            args: [spec.role, ...spec.args],
            env: Object.entries(spec.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
            // a Raspberry Pi 4/5 has 4 cores and 4–8 GiB: a test run gets one core and 1 GiB at most
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  };
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };
function finished(job: V1Job): Condition | undefined {
  return (job.status?.conditions ?? []).find((c: Condition) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const onAbort = () => { clearTimeout(t); reject(signal?.reason ?? new Error('aborted')); };
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  signal?.addEventListener('abort', onAbort, { once: true });
});

async function newestPod(c: KubeClients, namespace: string, job: string): Promise<V1Pod | undefined> {
  const pods = await kubeCall(`list pods of Job ${namespace}/${job}`, () => c.core.listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/job-name=${job}` }), { server: c.server });
  return pods.items.sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime())[0];
}

async function readLog(c: KubeClients, namespace: string, pod: string): Promise<string> {
  try {
    const text = await kubeCall(`read logs of ${namespace}/${pod}`, () => c.core.readNamespacedPodLog({ name: pod, namespace, container: 'worker' }), { server: c.server });
    return typeof text === 'string' ? text : String(text ?? '');
  } catch (err) {
    // a pod that never started has no log; the outcome says so through its reason
    if (err instanceof GanglionError && (err.status === 400 || err.status === 404)) return '';
    throw err;
  }
}

/** The log without the result line, newest LOG_TAIL_LINES lines, at most 4 KB. */
export function logTail(log: string): string {
  const lines = log.split('\n').filter((l) => l.trim() && !l.includes('"dev.ganglion.step.'));
  return tailToBytes(lines.slice(-LOG_TAIL_LINES).join('\n'), 4096).text;
}

export interface RunOptions { signal?: AbortSignal; pollMs?: number; name?: string }

export async function runWorkerJob(c: KubeClients, spec: WorkerJobSpec, { signal, pollMs = 200, name = workerJobName(spec.role) }: RunOptions = {}): Promise<WorkerJobOutcome> {
  const started = Date.now();
  const { namespace } = spec;
  await kubeCall(`create ${spec.role} Job in namespace ${namespace}`, () => c.batch.createNamespacedJob({ namespace, body: workerJobManifest(spec, name) }), { server: c.server });
  // the Job's own deadline stops the work; this wait only guards against a cluster that never reports back
  const giveUpAt = started + (spec.deadlineSeconds + 120) * 1000;
  let done: Condition | undefined;
  try {
    for (;;) {
      const job = await kubeCall(`read Job ${namespace}/${name}`, () => c.batch.readNamespacedJob({ name, namespace }), { server: c.server });
      done = finished(job);
      if (done) break;
      if (Date.now() > giveUpAt) throw new GanglionError(504, 'worker_lost', `Job ${namespace}/${name} reported neither Complete nor Failed ${spec.deadlineSeconds + 120} s after it was created; check the cluster's Job controller (kubectl describe job ${name} -n ${namespace})`);
      await sleep(pollMs, signal);
    }
  } catch (err) {
    if (isAbortError(err) || signal?.aborted) {
      // best effort: the caller is gone; if the delete fails too, the Job's deadline and TTL still clean up
      await kubeCall(`delete Job ${namespace}/${name}`, () => c.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }), { server: c.server }).catch(() => undefined);
    }
    throw err;
  }
  const pod = await newestPod(c, namespace, name);
  const log = pod?.metadata?.name ? await readLog(c, namespace, pod.metadata.name) : '';
  return {
    job: name, namespace, ...(pod?.metadata?.name ? { pod: pod.metadata.name } : {}),
    status: done.type === 'Complete' ? 'completed' : 'failed',
    reason: done.reason ?? '', result: findResultLine(log), logTail: logTail(log), durationMs: Date.now() - started,
  };
}
