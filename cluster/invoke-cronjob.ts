/**
 * CronJobs that call a function on a schedule: each firing is a worker Job running `invoke <function> --body <json>`
 * (workers/invoke-role.ts), which POSTs the body to the gateway. What automate leaves behind for a monitor or the
 * weekly report — a cluster object `kubectl get cronjobs` lists, run by Kubernetes, not by a Ganglion process.
 */
import type { V1CronJob } from '@kubernetes/client-node';
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { ROLE_LABEL, workerJobManifest } from './job-runner.js';

/** The label every invoke pod carries (k8s/50-network-policies.yaml lets exactly these reach the gateway). */
export const INVOKE_POD_LABELS = { [ROLE_LABEL]: 'invoke', 'app.kubernetes.io/managed-by': 'ganglion', 'app.kubernetes.io/component': 'worker' } as const;

export interface InvokeCronJobSpec {
  name: string;
  namespace: string;
  /** Five-field cron. */
  schedule: string;
  /** The worker image (config.workers.image). */
  image: string;
  /** Where the function is called (config.gatewayUrl): the pod's OPENFAAS_URL. */
  gatewayUrl: string;
  function: string;
  body: Record<string, unknown>;
  /** More labels on the CronJob, its Jobs and their pods (e.g. ganglion.dev/monitor). */
  labels?: Record<string, string>;
  /** A finished Job's ttlSecondsAfterFinished. */
  ttlSeconds: number;
}

/**
 * The Secret (in the workers namespace, key `token`) holding the API token every invoke pod sends as Bearer: the
 * embedded install makes it; in production `kubectl create secret` does (docs/production.md).
 */
export const INVOKE_TOKEN_SECRET = 'ganglion-invoke-token';

/** One call and its answer, well inside a check's cadence; a missed minute is skipped, not made up later. */
const DEADLINE_S = 300;
const STARTING_DEADLINE_S = 120;

export function invokeCronJobManifest(spec: InvokeCronJobSpec): V1CronJob {
  const labels = { ...INVOKE_POD_LABELS, ...spec.labels };
  // the same pod as every worker Job (service account, no API token, non-root, read-only root, no capabilities)
  const job = workerJobManifest({
    role: 'invoke', args: [spec.function, '--body', JSON.stringify(spec.body)], env: { OPENFAAS_URL: spec.gatewayUrl },
    namespace: spec.namespace, image: spec.image, deadlineSeconds: DEADLINE_S, ttlSeconds: spec.ttlSeconds,
  }, spec.name);
  const jobSpec = job.spec!;
  const pod = jobSpec.template.spec!;
  // an HTTP call needs far less than a test run
  pod.containers = pod.containers.map((c) => ({
    ...c, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
    // the gateway's functions refuse a call without a token; optional, so a missing Secret fails the call (401), not the pod
    env: [...(c.env ?? []), { name: 'GANGLION_TOKEN', valueFrom: { secretKeyRef: { name: INVOKE_TOKEN_SECRET, key: 'token', optional: true } } }],
  }));
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      schedule: spec.schedule,
      // a check still running when the next is due: skip the next, two checks at once gain nothing
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: STARTING_DEADLINE_S,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels }, spec: { ...jobSpec, template: { ...jobSpec.template, metadata: { labels } } } },
    },
  };
}

/** The CronJob, or undefined when there is none. */
export async function readCronJob(c: KubeClients, namespace: string, name: string): Promise<V1CronJob | undefined> {
  try {
    return await kubeCall(`read CronJob ${namespace}/${name}`, () => c.batch.readNamespacedCronJob({ name, namespace }), { server: c.server });
  } catch (err) {
    if (err instanceof GanglionError && err.code === 'not_found') return undefined;
    throw err;
  }
}

/** Creates the CronJob, or replaces the one of that name (as of the resourceVersion just read). */
export async function applyCronJob(c: KubeClients, manifest: V1CronJob): Promise<'created' | 'updated'> {
  const namespace = manifest.metadata!.namespace!;
  const name = manifest.metadata!.name!;
  const current = await readCronJob(c, namespace, name);
  if (!current) {
    try {
      await kubeCall(`create CronJob ${namespace}/${name}`, () => c.batch.createNamespacedCronJob({ namespace, body: manifest }), { server: c.server });
    } catch (err) {
      // the one 404 a create gets: the namespace is missing
      if (err instanceof GanglionError && err.code === 'not_found') throw new GanglionError(404, 'namespace_missing', `${err.message}; create it (kubectl apply -f k8s/) or set GANGLION_WORKER_NAMESPACE to the namespace worker Jobs run in`, { cause: err });
      throw err;
    }
    return 'created';
  }
  const body = { ...manifest, metadata: { ...manifest.metadata, resourceVersion: current.metadata?.resourceVersion } };
  await kubeCall(`update CronJob ${namespace}/${name}`, () => c.batch.replaceNamespacedCronJob({ name, namespace, body }), { server: c.server });
  return 'updated';
}

/** Deletes the CronJob and, in the background, its Jobs; false when there was none. */
export async function deleteCronJob(c: KubeClients, namespace: string, name: string): Promise<boolean> {
  try {
    await kubeCall(`delete CronJob ${namespace}/${name}`, () => c.batch.deleteNamespacedCronJob({ name, namespace, propagationPolicy: 'Background' }), { server: c.server });
    return true;
  } catch (err) {
    if (err instanceof GanglionError && err.code === 'not_found') return false;
    throw err;
  }
}

/** The JSON body a CronJob made here sends (its `--body` argument), or undefined. */
export function invokeBody(cron: V1CronJob | undefined): Record<string, unknown> | undefined {
  const args = cron?.spec?.jobTemplate.spec?.template.spec?.containers[0]?.args ?? [];
  const at = args.indexOf('--body');
  if (at < 0 || args[at + 1] === undefined) return undefined;
  try {
    return JSON.parse(args[at + 1] as string) as Record<string, unknown>;
  } catch {
    return undefined; // somebody edited it by hand: the dry run shows "(none)" as before
  }
}

/**
 * Writes the invoke token into the Secret ganglion-invoke-token (key `token`) in the workers namespace, creating it or
 * replacing its value: what `kubectl create secret generic ganglion-invoke-token --from-literal token=…` does.
 */
export async function applyInvokeTokenSecret(c: KubeClients, namespace: string, token: string): Promise<void> {
  const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: INVOKE_TOKEN_SECRET, namespace, labels: { 'app.kubernetes.io/managed-by': 'ganglion' } }, type: 'Opaque', stringData: { token } };
  try {
    await kubeCall(`create Secret ${namespace}/${INVOKE_TOKEN_SECRET}`, () => c.core.createNamespacedSecret({ namespace, body }), { server: c.server });
  } catch (err) {
    if (!(err instanceof GanglionError) || err.code !== 'already_exists') throw err;
    await kubeCall(`replace Secret ${namespace}/${INVOKE_TOKEN_SECRET}`, () => c.core.replaceNamespacedSecret({ name: INVOKE_TOKEN_SECRET, namespace, body }), { server: c.server });
  }
}
