/** Input of config-sync: copy ConfigMaps (and Secrets when asked) from one environment or cluster to another. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField } from '../../function-kit/cluster-input.js';
import { approvalGrants } from '../../function-kit/mutation-step.js';

const side = z.string().trim().min(1).max(253);

export const input = z.object({
  from: side.describe('source: a kubeconfig context (a cluster), an env label value (namespaces labelled env=prod), or a namespace'),
  to: side.describe('target, resolved the same way: e.g. "staging"'),
  secrets: z.boolean().default(false).describe('also sync Secrets of type Opaque (values are never shown, only keys and hashes)'),
  cluster: clusterField,
  diffHash: z.string().max(80).optional().describe('apply only if the diff still has this hash (from the dry run); otherwise 409'),
  dryRun: z.boolean().default(false).describe('Only show the diff; changes nothing and needs no approval'),
});

export const meta = defineMeta({
  name: 'config-sync',
  description: 'Makes the ConfigMaps (and, when asked, Opaque Secrets) of one environment or cluster match another: shows the diff by key with value hashes, then applies exactly that diff',
  input,
  mutates: true,
  examples: ['Sync config from prod to staging', 'copy the configmaps from prod to staging', 'sync configuration and secrets from prod into staging'],
  kube: [
    { apiGroup: '', resources: ['namespaces'], verbs: ['list'] },
    { apiGroup: '', resources: ['configmaps'], verbs: ['create', 'list', 'update'] },
    { apiGroup: '', resources: ['secrets'], verbs: ['create', 'list', 'update'] },
    ...approvalGrants,
  ],
});
