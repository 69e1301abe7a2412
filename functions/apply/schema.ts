/** Input of apply: a manifest (YAML or JSON, one or more objects) to create or update by server-side apply. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants, targetFields } from '../../function-kit/mutation-step.js';
import { grantsOf } from '../../cluster/kind-routes.js';
import { APPLY_KINDS } from './kinds.js';

export const input = z.object({
  manifest: z.string().min(1).max(64 * 1024)
    .describe(`The objects to create or update, as YAML (documents separated by ---) or JSON; kinds: ${APPLY_KINDS.map((k) => k.kind).join(', ')}. Never a Secret`),
  ...targetFields,
  diffHash: z.string().max(80).optional().describe('the dry run\'s diffHash: the apply refuses (409) if an object changed since the preview'),
});

export const meta = defineMeta({
  name: 'apply',
  description: 'Creates or updates Kubernetes objects from a manifest by server-side apply (field manager ganglion): the preview is the API server\'s dry run, field by field; unknown kinds, wrong field types and Secrets are refused before any approval',
  input,
  mutates: true,
  access: 'operator',
  kube: [...grantsOf(APPLY_KINDS), ...approvalGrants],
  examples: ['create a namespace called test', 'create an nginx pod called frontend-test in namespace qa', 'create a deployment web2 with image nginx:1.27 and 3 replicas in namespace web'],
});
