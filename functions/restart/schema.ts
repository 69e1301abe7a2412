/** Input of restart: which Deployment to restart (kubectl rollout restart). */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants, rolloutGrants, targetFields, timeoutField } from '../../function-kit/mutation-step.js';

export const input = z.object({
  name: z.string().min(1).max(253).describe('Name of the Deployment to restart'),
  timeoutSeconds: timeoutField(60),
  ...targetFields,
});

export const meta = defineMeta({
  name: 'restart',
  description: 'Restarts every pod of a Deployment with a rolling update, as kubectl rollout restart does, and waits for it',
  input,
  mutates: true,
  access: 'operator',
  kube: [...rolloutGrants, ...approvalGrants],
  examples: ['Restart placemyparents', 'do a rolling restart of frontend', 'bounce the api-server pods'],
});
