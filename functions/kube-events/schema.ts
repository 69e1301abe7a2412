/** Input of kube-events: where (a namespace or all), about what (one object and what it owns), since when. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  namespace: namespaceField,
  cluster: clusterField,
  name: z.string().trim().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be an object name such as "api-server"').optional()
    .describe('only events about this object and what it owns (a Deployment\'s ReplicaSets and pods: names "<name>-<hash>…")'),
  kind: z.string().trim().min(1).max(63).regex(/^[A-Za-z]+$/, 'must be a kind such as "Pod" or "Deployment"').optional().describe('only events about objects of this kind, e.g. "Pod", "Node", "Deployment"'),
  sinceSeconds: z.number().int().min(1).max(30 * 86_400).optional().describe('only events seen in the last this many seconds (3600 = the last hour); default: every event the cluster still keeps'),
  warningsOnly: z.boolean().optional().describe('true: only Warning events'),
});

export const meta = defineMeta({
  name: 'kube-events',
  description: 'Events of a namespace or of one object and what it owns (a Deployment\'s ReplicaSets and pods), optionally since a time ("the last hour"), newest first, at most 200 lines / 16 KB',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [{ apiGroup: '', resources: ['events'], verbs: ['list'] }, { apiGroup: '', resources: ['namespaces'], verbs: ['get', 'list'] }],
  examples: ['show me the events for api-server', 'what changed in the last hour?', 'warning events in apps', 'events of node pi-2'],
  textField: 'name',
});
