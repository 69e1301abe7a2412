/** Input of deploy: which Deployment, the new image or tag, how long to wait, and whether to roll back on failure. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants, rolloutGrants, targetFields, timeoutField } from '../../function-kit/mutation-step.js';

export const input = z
  .object({
    name: z.string().min(1).max(253).describe('Name of the Deployment, e.g. placemyparents'),
    image: z.string().min(1).max(512).optional().describe('Whole new image reference, e.g. registry.local/placemyparents:2.0'),
    tag: z.string().min(1).max(128).optional().describe('Only the new tag (version), e.g. "2.0"; the registry and repository stay'),
    container: z.string().min(1).optional().describe('Container to change when the pod has several; default: the only one, or the one named like the Deployment'),
    timeoutSeconds: timeoutField(60),
    rollbackOnFailure: z.boolean().default(true).describe('Put the previous image back when the rollout fails or does not finish in time'),
    ...targetFields,
  })
  .refine((v) => Boolean(v.image) !== Boolean(v.tag), { message: 'give either image or tag (one of them)', path: ['tag'] });

export const meta = defineMeta({
  name: 'deploy',
  description: "Sets a Deployment container's image (or just its tag), waits for the rollout, checks the pods are Ready, and rolls back when it fails",
  input,
  mutates: true,
  access: 'operator',
  kube: [...rolloutGrants, ...approvalGrants],
  examples: ['Deploy placemyparents version 2.0', 'roll out 2.0 of placemyparents', 'update placemyparents to image registry.local/placemyparents:2.0'],
});
