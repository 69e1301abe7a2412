/** Input of cluster-status: which cluster, optionally one namespace, one Deployment in detail, or every Deployment listed. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  cluster: clusterField,
  namespace: namespaceField,
  name: z.string().trim().min(1).max(253).optional().describe('one Deployment to show in detail: replicas ready/desired, up to date, available, images'),
  deployments: z.boolean().optional().describe('list every Deployment (in the namespace, or all) with replicas and images'),
});

export const meta = defineMeta({
  name: 'cluster-status',
  description: 'Cluster overview: nodes (ready, arch, CPU/memory), namespaces, Deployments ready/desired, pods by phase, and which pods are unhealthy',
  input,
  mutates: false,
  access: 'viewer',
  // counts and names only: with GANGLION_ANONYMOUS_SUMMARIES=true a caller without a token may read it
  summary: true,
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: '', resources: ['events', 'namespaces', 'nodes', 'pods'], verbs: ['list'] },
  ],
  examples: ['Show me cluster status', 'How is the cluster doing?', 'Are all nodes ready?', 'status of namespace apps', 'how many replicas does frontend have', 'list all deployments'],
  textField: 'namespace',
});
