/** Runs the configured image scanner (Trivy's CLI) as one Kubernetes Job per image and returns its log. */
import type { V1Job } from '@kubernetes/client-node';
import type { KubeClients } from '../../cluster/kube-access.js';
import { jobName, ROLE_LABEL, runJob } from '../../cluster/job-runner.js';

export interface ScanJobSpec { scannerImage: string; image: string; namespace: string; deadlineSeconds: number }

/** The Job: `trivy image --format json --quiet <image>`, no API token, non-root, Pi-sized. */
export function scannerJobManifest(spec: ScanJobSpec, name: string): V1Job {
  const labels = { [ROLE_LABEL]: 'image-scan', 'app.kubernetes.io/managed-by': 'ganglion', 'app.kubernetes.io/component': 'scanner' };
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
            securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
          }],
          volumes: [{ name: 'cache', emptyDir: { sizeLimit: '2Gi' } }],
        },
      },
    },
  };
}

/** Creates the Job, waits for it to finish (or its deadline), reads the scanner's log, deletes the Job. */
export async function runScanJob(c: KubeClients, spec: ScanJobSpec, signal?: AbortSignal): Promise<{ ok: boolean; log: string; job: string }> {
  const out = await runJob(c, scannerJobManifest(spec, jobName('scan')), { signal, deleteWhenDone: true });
  return { ok: out.status === 'completed', log: out.log, job: out.job };
}
