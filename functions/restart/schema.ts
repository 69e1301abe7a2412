/** Input of restart: which Deployment to restart (kubectl rollout restart). */
import { z } from 'zod';
import { defineMeta } from '../../runtime/function-module.js';
import { targetFields, timeoutField } from '../../cluster/mutation-step.js';

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
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['get', 'list', 'patch'] },
    { apiGroup: 'apps', resources: ['replicasets'], verbs: ['list'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
  ],
  examples: ['Restart placemyparents', 'do a rolling restart of frontend', 'bounce the api-server pods'],
});
