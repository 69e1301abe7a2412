/** Input of analyze-logs: where to look and how much of each log to read. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField, podLogGrants } from '../../function-kit/cluster-input.js';

export const input = z.object({
  cluster: clusterField,
  namespace: namespaceField,
  tailLines: z.number().int().min(10).max(5000).default(300).describe('lines read from the end of each container log'),
  maxPods: z.number().int().min(1).max(500).default(100).describe('pods read at most (unhealthy and restarted pods first)'),
});

export const meta = defineMeta({
  name: 'analyze-logs',
  description: 'Reads pod logs (and the previous container after a crash) across pods, groups error patterns (OOM, connection refused, timeouts, DNS, TLS, auth, exceptions…) by normalised signature, flags new or rising ones against the last analysis, and suggests a fix for each',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    ...podLogGrants,
    // the last analysis of each scope, as a LogBaseline object in Ganglion's state namespace
    { apiGroup: 'ganglion.dev', resources: ['logbaselines'], verbs: ['create', 'get', 'update'] },
  ],
  examples: ['Analyze logs, find anomalies, suggest fixes', 'what errors keep showing up in the logs?', 'find error patterns across pods in apps'],
  textField: 'namespace',
});
