/** Input of failing-pods: which cluster, optionally one namespace. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  cluster: clusterField,
  namespace: namespaceField,
});

export const meta = defineMeta({
  name: 'failing-pods',
  description: 'Every unhealthy pod (all namespaces by default) with the reason to act on: CrashLoopBackOff with restarts and last exit, image pull errors with the image, Pending with the scheduler message, OOMKilled, failing readiness, Evicted, failed init containers',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: '', resources: ['events', 'pods'], verbs: ['list'] },
    { apiGroup: '', resources: ['namespaces'], verbs: ['get', 'list'] },
  ],
  examples: ['List all failing pods', 'Which pods are broken?', 'what is crash looping in apps?', 'show unhealthy pods'],
  textField: 'namespace',
});
