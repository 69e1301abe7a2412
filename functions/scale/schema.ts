/** Input of scale: one Deployment by name, or every Deployment matching a label selector, and the replica count. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants, rolloutGrants, targetFields, timeoutField } from '../../function-kit/mutation-step.js';

export const input = z
  .object({
    name: z.string().min(1).max(253).optional().describe('Name of one Deployment to scale'),
    selector: z.string().min(1).max(512).optional().describe('Label selector; every matching Deployment is scaled, e.g. tier=web for "the web tier"'),
    replicas: z.number().int().min(0).max(100).describe('Wanted number of replicas (0..100)'),
    timeoutSeconds: timeoutField(60),
    ...targetFields,
  })
  .refine((v) => Boolean(v.name) !== Boolean(v.selector), { message: 'give either name or selector (one of them)', path: ['name'] });

export const meta = defineMeta({
  name: 'scale',
  description: 'Sets the replica count of a Deployment (or of every Deployment matching a label selector) and waits until the pods are ready',
  input,
  mutates: true,
  access: 'operator',
  kube: [...rolloutGrants, ...approvalGrants],
  examples: ['Scale the web tier to 5 replicas', 'scale placemyparents to 2', 'run 4 copies of frontend'],
});
