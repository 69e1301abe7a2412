/** Input of node: cordon, uncordon or drain one node. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants } from '../../function-kit/mutation-step.js';
import { clusterField } from '../../function-kit/cluster-input.js';
import { grantsOf } from '../../cluster/kind-routes.js';
import { NODE_ROUTES } from './kinds.js';

export const input = z.object({
  node: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a node name').describe('Name of the node, e.g. pi-2'),
  action: z.enum(['cordon', 'uncordon', 'drain']).describe('cordon: no new pods; uncordon: pods may come again; drain: cordon, then evict every pod but DaemonSet and mirror pods'),
  cluster: clusterField,
  diffHash: z.string().max(80).optional().describe('the dry run\'s diffHash: a drain refuses (409) if the pods on the node changed since the preview'),
  dryRun: z.boolean().default(false).describe('Only show what would change (the pods a drain evicts); changes nothing and needs no approval'),
});

export const meta = defineMeta({
  name: 'node',
  description: 'Cordons, uncordons or drains a node as kubectl does: a drain cordons it, then evicts every pod on it except DaemonSet and mirror pods (the preview lists them)',
  input,
  mutates: true,
  access: 'operator',
  kube: [...grantsOf(NODE_ROUTES), ...approvalGrants],
  examples: ['cordon pi-2', 'drain pi-2', 'uncordon pi-2'],
});
