/**
 * Runs batch/v1 Jobs, the one place that creates and watches them: runJob creates any Job, waits for Complete/Failed
 * and reads its container's log; runWorkerJob builds a worker agent's Job (labels, deadline, TTL, Pi-sized resources,
 * least-privilege service account) and reads the worker's result — the last log line signed with the Job's own key
 * (events/worker-result.ts), so a line the code under test prints is not taken for it — with the log tail.
 */
import { randomBytes } from 'node:crypto';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { GanglionError, isAbortError } from '../kernel/errors.js';
import { findResultLine, newResultKey, RESULT_KEY_ENV, type ResultLine, type WorkerRole } from '../events/worker-result.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { tailToBytes, WORKER_LOG_BYTES, WORKER_LOG_LINES } from './log-tail.js';

export const WORKER_SERVICE_ACCOUNT = 'ganglion-worker';
export const ROLE_LABEL = 'ganglion.dev/role';
export const LOG_TAIL_LINES = 40;
/** The one writable place in a worker pod (k8s/20-agent-job-template.yaml mounts the same). */
export const WORKER_SCRATCH = { name: 'scratch', mountPath: '/tmp', sizeLimit: '2Gi' } as const;

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

/** A worker Job's outcome: its result line, and the rest of its log as a tail. */
export interface WorkerJobOutcome extends Omit<JobOutcome, 'log'> {
  result?: ResultLine;
  logTail: string;
}

/** A label value: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric. */
export function labelValue(raw: string | undefined): string {
  const v = (raw ?? '').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return v || 'none';
}

/** `ganglion-<what>-<6 hex>`: unique enough per run, short enough for the pod names Kubernetes derives from it. */
export function jobName(what: string): string {
  return `ganglion-${what}-${randomBytes(3).toString('hex')}`;
}

export function workerJobName(role: WorkerRole): string {
  return jobName(role);
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
          // ganglion-workers enforces the restricted pod-security level (k8s/00-namespaces.yaml): seccomp, non-root, no escalation, no capabilities
          securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'worker',
            image: spec.image,
            args: [spec.role, ...spec.args],
            env: Object.entries(spec.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
            // a Raspberry Pi 4/5 has 4 cores and 4–8 GiB: a test run gets one core and 1 GiB at most
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
            // the image's root filesystem stays read-only: checkouts, npm's cache and HOME all live under /tmp
            // (workers/Dockerfile points HOME, TMPDIR and the npm cache there), an emptyDir that goes with the pod
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: WORKER_SCRATCH.name, mountPath: WORKER_SCRATCH.mountPath }],
          }],
          // room for a clone plus node_modules on a Pi's SD card, and no more
          volumes: [{ name: WORKER_SCRATCH.name, emptyDir: { sizeLimit: WORKER_SCRATCH.sizeLimit } }],
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

async function readLog(c: KubeClients, namespace: string, pod: string, container: string | undefined): Promise<string> {
  try {
    const text = await kubeCall(`read logs of ${namespace}/${pod}`, () => c.core.readNamespacedPodLog({ name: pod, namespace, tailLines: WORKER_LOG_LINES, limitBytes: WORKER_LOG_BYTES, ...(container ? { container } : {}) }), { server: c.server });
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

export interface JobOutcome {
  job: string;
  namespace: string;
  pod?: string;
  status: 'completed' | 'failed';
  /** the Job condition's reason: CompletionsReached, DeadlineExceeded, BackoffLimitExceeded… */
  reason: string;
  /** the exit code of the pod's worker container, as the kubelet recorded it (absent when the cluster gave none) */
  exitCode?: number;
  /** the log of the Job's (newest) pod, its first container (its newest WORKER_LOG_LINES lines, at most WORKER_LOG_BYTES); empty when the pod never started */
  log: string;
  durationMs: number;
}

export interface JobRunOptions {
  signal?: AbortSignal;
  pollMs?: number;
  /** delete the Job once it is done or the wait ends (default false: its ttlSecondsAfterFinished removes it) */
  deleteWhenDone?: boolean;
}

/**
 * Creates `manifest`, waits until the Job reports Complete or Failed, and reads the log of its newest pod. The Job's
 * own activeDeadlineSeconds stops the work; this wait gives up 120 s later, when the cluster never reported back.
 * An aborted wait deletes the Job (its deadline and TTL clean up should that fail too).
 */
export async function runJob(c: KubeClients, manifest: V1Job, { signal, pollMs = 200, deleteWhenDone = false }: JobRunOptions = {}): Promise<JobOutcome> {
  const started = Date.now();
  const name = manifest.metadata?.name ?? '';
  const namespace = manifest.metadata?.namespace ?? 'default';
  const what = manifest.metadata?.labels?.[ROLE_LABEL] ?? 'batch';
  const deadlineSeconds = manifest.spec?.activeDeadlineSeconds ?? 0;
  const container = manifest.spec?.template.spec?.containers[0]?.name;
  const server = { server: c.server };
  const remove = () => kubeCall(`delete Job ${namespace}/${name}`, () => c.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }), server);
  await kubeCall(`create ${what} Job in namespace ${namespace}`, () => c.batch.createNamespacedJob({ namespace, body: manifest }), server);
  const giveUpAt = started + (deadlineSeconds + 120) * 1000;
  let done: Condition | undefined;
  try {
    for (;;) {
      const job = await kubeCall(`read Job ${namespace}/${name}`, () => c.batch.readNamespacedJob({ name, namespace }), server);
      done = finished(job);
      if (done) break;
      if (Date.now() > giveUpAt) throw new GanglionError(504, 'worker_lost', `Job ${namespace}/${name} reported neither Complete nor Failed ${deadlineSeconds + 120} s after it was created; check the cluster's Job controller (kubectl describe job ${name} -n ${namespace})`);
      await sleep(pollMs, signal);
    }
    const pod = await newestPod(c, namespace, name);
    const log = pod?.metadata?.name ? await readLog(c, namespace, pod.metadata.name, container) : '';
    const exitCode = (pod?.status?.containerStatuses ?? []).find((s) => !container || s.name === container)?.state?.terminated?.exitCode;
    return {
      job: name, namespace, ...(pod?.metadata?.name ? { pod: pod.metadata.name } : {}), ...(typeof exitCode === 'number' ? { exitCode } : {}),
      status: done.type === 'Complete' ? 'completed' : 'failed', reason: done.reason ?? '', log, durationMs: Date.now() - started,
    };
  } catch (err) {
    // best effort: the caller is gone or the cluster lost the Job; the error says what happened, not the delete
    if (!deleteWhenDone && (isAbortError(err) || signal?.aborted)) await remove().catch(() => undefined);
    throw err;
  } finally {
    if (deleteWhenDone) await remove().catch(() => undefined);
  }
}

export interface RunOptions { signal?: AbortSignal; pollMs?: number; name?: string }

export async function runWorkerJob(c: KubeClients, spec: WorkerJobSpec, { signal, pollMs = 200, name = workerJobName(spec.role) }: RunOptions = {}): Promise<WorkerJobOutcome> {
  const key = newResultKey();
  const { log, ...outcome } = await runJob(c, workerJobManifest({ ...spec, env: { ...spec.env, [RESULT_KEY_ENV]: key } }, name), { signal, pollMs });
  // a line the code under test wrote (with a key read from the worker's /proc environ) is not believed against the
  // worker's exit code, which only the worker sets
  const result = findResultLine(log, key, { ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}), completed: outcome.status === 'completed' });
  return { ...outcome, result, logTail: logTail(log) };
}
