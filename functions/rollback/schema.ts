/** Input of rollback: which Deployment (default: the one rolled out last) and which revision (default: the previous one). */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants, rolloutGrants, targetFields, timeoutField } from '../../function-kit/mutation-step.js';

export const input = z.object({
  name: z.string().min(1).max(253).optional().describe('Name of the Deployment; omitted = the Deployment rolled out most recently (across namespaces)'),
  toRevision: z.number().int().min(0).default(0).describe('Revision to go back to (see kubectl rollout history); 0 = the previous one'),
  timeoutSeconds: timeoutField(60),
  ...targetFields,
});

export const meta = defineMeta({
  name: 'rollback',
  description: 'Undoes a Deployment rollout the way kubectl rollout undo does (previous or given revision) and waits for it',
  input,
  mutates: true,
  access: 'operator',
  kube: [...rolloutGrants, ...approvalGrants],
  examples: ['Roll back the last deployment', 'undo the placemyparents rollout', 'roll placemyparents back to revision 2'],
});
