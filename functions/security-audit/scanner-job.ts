/** Runs the configured image scanner (Trivy's CLI) as one Kubernetes Job per image and returns its log. */
import { randomBytes } from 'node:crypto';
import type { V1Job } from '@kubernetes/client-node';
import type { KubeClients } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';

export interface ScanJobSpec { scannerImage: string; image: string; namespace: string; deadlineSeconds: number }

/** The Job: `trivy image --format json --quiet <image>`, no API token, non-root, Pi-sized. */
export function scannerJobManifest(spec: ScanJobSpec, name: string): V1Job {
  const labels = { 'ganglion.dev/role': 'image-scan', 'app.kubernetes.io/managed-by': 'ganglion', 'app.kubernetes.io/component': 'scanner' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: spec.namespace, labels, annotations: { 'ganglion.dev/image': spec.image } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: spec.deadlineSeconds,
      ttlSecondsAfterFinished: 300,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'scanner',
            image: spec.scannerImage,
            args: ['image', '--format', 'json', '--quiet', '--cache-dir', '/cache', spec.image],
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
          }],
          volumes: [{ name: 'cache', emptyDir: { sizeLimit: '2Gi' } }],
        },
      },
    },
  };
}

/** Waits between polls; the abort listener is removed again so a long wait does not pile them up. */
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const onAbort = () => { clearTimeout(t); reject(signal?.reason ?? new Error('aborted')); };
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** Creates the Job, waits for it to finish (or its deadline), reads the scanner's log, deletes the Job. */
export async function runScanJob(c: KubeClients, spec: ScanJobSpec, signal?: AbortSignal): Promise<{ ok: boolean; log: string; job: string }> {
  const name = `ganglion-scan-${randomBytes(3).toString('hex')}`;
  const { namespace } = spec;
  const opts = { server: c.server };
  await kubeCall(`create scanner Job ${namespace}/${name}`, () => c.batch.createNamespacedJob({ namespace, body: scannerJobManifest(spec, name) }), opts);
  try {
    const until = Date.now() + (spec.deadlineSeconds + 30) * 1000;
    let done: { type?: string } | undefined;
    while (!done && Date.now() < until) {
      await sleep(250, signal);
      const job = await kubeCall(`read scanner Job ${namespace}/${name}`, () => c.batch.readNamespacedJob({ name, namespace }), opts);
      done = (job.status?.conditions ?? []).find((k) => (k.type === 'Complete' || k.type === 'Failed') && k.status === 'True');
    }
    const pods = await kubeCall(`list pods of scanner Job ${namespace}/${name}`, () => c.core.listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/job-name=${name}` }), opts);
    const pod = pods.items[0]?.metadata?.name;
    const log = pod ? await kubeCall(`read scanner log ${namespace}/${pod}`, () => c.core.readNamespacedPodLog({ name: pod, namespace, container: 'scanner' }), opts) : '';
    return { ok: done?.type === 'Complete', log: typeof log === 'string' ? log : '', job: name };
  } finally {
    await kubeCall(`delete scanner Job ${namespace}/${name}`, () => c.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }), opts).catch(() => undefined);
  }
}
