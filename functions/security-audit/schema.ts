/** Input of security-audit: which cluster and namespace to audit, and the optional image scanner. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  namespace: namespaceField,
  cluster: clusterField,
  scannerImage: z.string().min(1).max(512).optional()
    .describe('leave out: the scanner is GANGLION_SCANNER_IMAGE, set by the operator (unset = spec audit only); any other image is refused 403'),
  minSeverity: z.enum(['critical', 'high', 'medium', 'low']).default('low').describe('leave out findings below this severity'),
  timeoutSeconds: z.number().int().min(10).max(3600).default(300).describe('how long one scanner Job may run'),
});

export const meta = defineMeta({
  name: 'security-audit',
  description: 'Audits every running pod spec (root, privileged, host namespaces, hostPath, :latest images, missing limits, added capabilities) ranked by severity; with a scanner image (Trivy) it also scans each image in a Job and merges the CVEs',
  input,
  mutates: false,
  access: 'operator',
  examples: ['Run security scans on all container images', 'are any pods running as root?', 'check for privileged containers', 'security audit of the data namespace'],
  kube: [
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
    { apiGroup: '', resources: ['namespaces'], verbs: ['get', 'list'] },
    { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'delete', 'get'] },
    { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
  ],
});
