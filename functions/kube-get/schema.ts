/** Input of kube-get: which kind (any the API server serves, CRDs included), which objects, and whether to describe them. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';
import { READABLE } from './readable.js';

export const input = z.object({
  kind: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.-]+$/, 'must be a kind, resource or short name such as "deployments", "deploy", "Pod" or "monitors.ganglion.dev"')
    .describe('what to read, as kubectl names it: "pods", "deploy", "svc", "cm", "nodes", "crd", "monitors.ganglion.dev" (Secrets are never read)'),
  name: z.string().trim().min(1).max(253).optional().describe('one object by name; default: every object that matches'),
  namespace: namespaceField,
  cluster: clusterField,
  labelSelector: z.string().trim().max(1024).optional().describe('label selector, e.g. "app=web" or "tier in (web,api)"'),
  fieldSelector: z.string().trim().max(1024).optional().describe('field selector, e.g. "status.phase=Running" or "spec.nodeName=pi-2"'),
  describe: z.boolean().optional().describe('true: what `kubectl describe` shows (status, conditions, containers and images, replicas, the object\'s events); default: the table `kubectl get` shows'),
});

export const meta = defineMeta({
  name: 'kube-get',
  description: 'Get, list or describe any kind the cluster serves (CRDs included) by name or with label/field selectors, as kubectl get/describe show it; Secrets are never read; at most 200 lines / 16 KB, trimmed with a marker',
  input,
  mutates: false,
  access: 'viewer',
  // the enumerated readable kinds (readable.ts); k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: READABLE,
  examples: ['describe the api-server deployment', 'list all deployments', 'get pods in namespace apps with label app=web', 'show me the configmaps in apps', 'list the CRDs'],
  textField: 'kind',
});
