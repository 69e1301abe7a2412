/** Input of config-sync: copy ConfigMaps (and the Secrets named, never others) from one environment or cluster to another. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField } from '../../function-kit/cluster-input.js';
import { approvalGrants } from '../../function-kit/mutation-step.js';

const side = z.string().trim().min(1).max(253);

export const input = z.object({
  from: side.describe('source: a kubeconfig context (a cluster), an env label value (namespaces labelled env=prod), or a namespace'),
  to: side.describe('target, resolved the same way: e.g. "staging"'),
  secrets: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a Secret name (lowercase letters, digits, "-" and ".")')).max(20).default([])
    .describe('names of Opaque Secrets to sync as well (only these are ever read; values are never shown, only key names)'),
  cluster: clusterField,
  diffHash: z.string().max(80).optional().describe('the dry run\'s diffHash: the apply re-computes the diff and refuses (409) if source or target changed since'),
  dryRun: z.boolean().default(false).describe('Only show the diff; changes nothing and needs no approval'),
});

export const meta = defineMeta({
  name: 'config-sync',
  description: 'Makes the ConfigMaps (and the Opaque Secrets named) of one environment or cluster match another: shows the diff by key name, then applies exactly that diff, all of it or nothing',
  input,
  mutates: true,
  access: 'operator',
  examples: ['Sync config from prod to staging', 'copy the configmaps from prod to staging', 'sync config and the secret placemyparents-db from prod into staging'],
  kube: [
    { apiGroup: '', resources: ['namespaces'], verbs: ['list'] },
    // delete: undoing a write of its own when a later one fails (all or nothing); Secrets only by name, never listed
    { apiGroup: '', resources: ['configmaps'], verbs: ['create', 'delete', 'list', 'update'] },
    { apiGroup: '', resources: ['secrets'], verbs: ['create', 'delete', 'get', 'update'] },
    ...approvalGrants,
  ],
});
