/** Input of report: how many days back, which cluster, and where to send it besides the answer. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  days: z.number().int().min(1).max(90).default(7).describe('how many days the rollouts and alerts go back (default 7: the weekly report)'),
  notify: z.enum(['slack', 'webhook', 'both', 'none']).default('none').describe('also send the report to Slack and/or the webhook'),
  cluster: clusterField,
});

export const meta = defineMeta({
  name: 'report',
  description: 'The infrastructure report: nodes and capacity, workloads, restarts, rollouts from the audit log and alerts of the week, as Markdown and optionally a Slack message',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: '', resources: ['events', 'namespaces', 'nodes', 'pods'], verbs: ['list'] },
    { apiGroup: 'ganglion.dev', resources: ['auditrecords'], verbs: ['list'] },
    // the alerts of the week, from the Monitor objects (namespace ganglion)
    { apiGroup: 'ganglion.dev', resources: ['monitors'], verbs: ['list'] },
  ],
  examples: ['make an infrastructure report now', 'what happened in the cluster this week?', 'send the weekly report to slack'],
});
