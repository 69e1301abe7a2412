/** github-webhook takes GitHub's own request (POST with X-Hub-Signature-256); this schema only documents the delivery lookup. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';

export const input = z.object({
  delivery: z.string().min(1).max(100).describe('X-GitHub-Delivery id of a webhook delivery to look up'),
});

export const meta = defineMeta({
  name: 'github-webhook',
  description: 'GitHub push webhook (HMAC-SHA256 signed): a push to the CI branch runs the tests, deploys through the planner under policy, then verifies; answers what happened to a delivery',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    // Ganglion's own objects in the state namespace: the pipelines set up, and one WebhookDelivery per delivery.
    { apiGroup: 'ganglion.dev', resources: ['pushpipelines'], verbs: ['list'] },
    { apiGroup: 'ganglion.dev', resources: ['webhookdeliveries'], verbs: ['create', 'get', 'update'] },
  ],
  examples: ['what happened to the last push webhook?'],
  textField: 'delivery',
});
