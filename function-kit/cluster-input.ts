/** Input fields every cluster tool shares, so the planner sees them described the same way everywhere. */
import * as z from 'zod';
import type { KubeGrant } from './function-module.js';

// Empty means all namespaces, so `echo | faas-cli invoke …` (a bare newline) still works.
const DNS_LABEL_OR_EMPTY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

export const clusterField = z.string().min(1).max(253).optional()
  .describe('kubeconfig context of the cluster to ask (several contexts = several clusters); default: the configured one');

export const namespaceField = z.string().max(63).regex(DNS_LABEL_OR_EMPTY, 'must be a namespace name (lower-case letters, digits, "-")').optional()
  .describe('limit to this namespace; default: all namespaces');

/**
 * What reading a pod's logs calls on the Kubernetes API (pod-logs, analyze-logs): resolve the pod (check the
 * namespace, list pods) and read pods/log. k8s/10-rbac-functions.yaml grants exactly this; test/production checks it.
 */
export const podLogGrants: KubeGrant[] = [
  { apiGroup: '', resources: ['namespaces'], verbs: ['get', 'list'] },
  { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
  { apiGroup: '', resources: ['pods'], verbs: ['list'] },
];
