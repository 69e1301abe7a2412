/** Input of pod-logs: what to read (a pod, Deployment or app name) and how much. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField, podLogGrants } from '../../function-kit/cluster-input.js';

export const input = z.object({
  name: z.string().trim().min(1).max(253)
    .describe('pod to read: an exact pod name, a Deployment/StatefulSet/Job name, an app label, or close to one ("api-server")'),
  namespace: namespaceField,
  cluster: clusterField,
  container: z.string().min(1).max(253).optional().describe('only this container; default: every container of the pod'),
  tailLines: z.number().int().min(1).max(10_000).default(100).describe('lines from the end of each log (default 100)'),
  previous: z.boolean().optional()
    .describe('true: only the previous (crashed) container; false: only the current one; default: both when the container restarted'),
  sinceSeconds: z.number().int().min(1).optional().describe('only lines newer than this many seconds'),
});

export const meta = defineMeta({
  name: 'pod-logs',
  description: 'Tail of a pod\'s logs (resolving "api-server" to the right pod), every container named, the crashed container\'s previous logs included, at most 16 KB with a truncation marker',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: podLogGrants,
  examples: ['Get logs from the api-server pod', 'show me the logs of placemyparents', 'why is api-server crashing? show logs', 'last 20 lines of grafana logs'],
  textField: 'name',
});
