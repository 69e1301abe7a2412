/** Input of kube-top: nodes (usage, conditions and pressure) or pods (usage, heaviest first). */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  what: z.enum(['nodes', 'pods']).default('nodes').describe('nodes: CPU and memory use against allocatable, with Ready and pressure conditions; pods: CPU and memory use per pod'),
  namespace: namespaceField,
  cluster: clusterField,
  labelSelector: z.string().trim().max(1024).optional().describe('only pods (or nodes) with these labels, e.g. "app=web"'),
  sortBy: z.enum(['memory', 'cpu']).optional().describe('heaviest first by this; default: memory for pods, name for nodes'),
});

export const meta = defineMeta({
  name: 'kube-top',
  description: 'Resource usage as `kubectl top` shows it, from the metrics.k8s.io API where the cluster serves it: nodes with CPU/memory use and % of allocatable plus their Ready and memory/disk/PID pressure conditions, or pods heaviest first',
  input,
  mutates: false,
  access: 'viewer',
  // counts and names only: with GANGLION_ANONYMOUS_SUMMARIES=true a caller without a token may read it
  summary: true,
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: '', resources: ['namespaces'], verbs: ['get', 'list'] },
    { apiGroup: '', resources: ['nodes'], verbs: ['list'] },
    { apiGroup: 'metrics.k8s.io', resources: ['nodes', 'pods'], verbs: ['list'] },
  ],
  examples: ['which nodes are under memory pressure?', 'top pods in apps', 'which pods use the most memory?', 'how much cpu are the nodes using'],
  textField: 'what',
});
