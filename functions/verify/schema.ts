/** Input of verify: the Deployment to check after a deploy, and how. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';

export const input = z.object({
  name: z.string().trim().min(1).max(253).describe('the Deployment that was just deployed'),
  namespace: z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default('default').describe('its namespace (default "default")'),
  cluster: z.string().min(1).max(253).optional().describe('kubeconfig context of the cluster; default: the configured one'),
  windowSeconds: z.number().min(0).max(300).default(3).describe('how long restart counts must stay unchanged (default 3 s)'),
  smokeUrl: z.string().url().optional().describe('URL of the HTTP smoke check; default: the Service of the same name by its cluster DNS name, at the Deployment\'s ganglion.dev/smoke-path (default /); a smoke test that cannot run fails verification'),
  timeoutSeconds: z.number().int().min(1).max(3600).optional().describe('the Job\'s activeDeadlineSeconds (default GANGLION_WORKER_DEADLINE_S)'),
});

export const meta = defineMeta({
  name: 'verify',
  description: 'After a deploy, a test agent (Kubernetes Job) checks that every pod of the Deployment is Ready, restart counts stay still over a short window, and the Service answers an HTTP smoke check',
  input,
  mutates: false,
  access: 'operator',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'delete', 'get'] },
    { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
  ],
  examples: ['verify placemyparents works', 'check the deploy of placemyparents is healthy', 'smoke test placemyparents'],
  textField: 'name',
});
