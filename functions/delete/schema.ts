/** Input of delete: named objects of one kind, or every object a label or field selector matches. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants } from '../../function-kit/mutation-step.js';
import { clusterField } from '../../function-kit/cluster-input.js';
import { grantsOf } from '../../cluster/kind-routes.js';
import { DELETE_KINDS } from './kinds.js';

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export const input = z.object({
  kind: z.string().min(1).max(63).describe(`Kind of the objects: ${DELETE_KINDS.map((k) => k.kind).join(', ')} (singular or plural; never Secret)`),
  names: z.array(z.string().regex(NAME, 'an object name (lowercase letters, digits, "-" and ".")')).max(50).default([]).describe('Names of the objects to delete'),
  labelSelector: z.string().max(512).optional().describe('Delete every object with these labels, e.g. app=web'),
  fieldSelector: z.string().max(512).optional().describe('Delete every object these fields match, e.g. status.phase=Failed for failed pods'),
  namespace: z.string().max(63).optional().describe('Namespace of the objects; with a selector and no namespace, every namespace (Ganglion\'s and the cluster\'s own are left out)'),
  cluster: clusterField,
  diffHash: z.string().max(80).optional().describe('the dry run\'s diffHash: the delete refuses (409) if what matches changed since the preview'),
  dryRun: z.boolean().default(false).describe('Only list what would be deleted; changes nothing and needs no approval'),
}).refine((v) => (v.names.length > 0) !== Boolean(v.labelSelector || v.fieldSelector), { message: 'give either names or a selector (labelSelector and/or fieldSelector)', path: ['names'] });

export const meta = defineMeta({
  name: 'delete',
  description: 'Deletes named objects, or every object a label or field selector matches (e.g. pods with status.phase=Failed); the preview lists exactly what goes, and the approved delete removes exactly those (by uid); Secrets are denied',
  input,
  mutates: true,
  access: 'operator',
  kube: [...grantsOf(DELETE_KINDS), ...approvalGrants],
  examples: ['delete the failed pods', 'delete pod frontend-test in qa', 'delete the configmap app-settings in apps'],
});
