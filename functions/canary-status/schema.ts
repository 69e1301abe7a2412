/** Input of canary-status: which canary (default: the one that runs), the minimum sample, and optional test traffic. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField, namespaceField } from '../../function-kit/cluster-input.js';

export const input = z.object({
  name: z.string().trim().min(1).max(253).optional().describe('the stable Deployment whose canary to measure; default: the canary that runs (one)'),
  namespace: namespaceField,
  cluster: clusterField,
  minRequests: z.number().int().min(1).max(100_000).default(50).describe('requests each version needs before they are compared (default 50)'),
  requests: z.number().int().min(0).max(5_000).default(0).describe('first send this many GET requests through the Service (test traffic for an A/B comparison); default 0: measure real traffic only'),
  seconds: z.number().min(0).max(300).default(10).describe('spread the test requests over this many seconds (default 10)'),
});

export const meta = defineMeta({
  name: 'canary-status',
  description: 'How a canary is doing: request count, success rate and p50/p95 latency per version, read from each pod\'s own /metrics since the canary started, and a verdict (canary worse / better / no clear difference) with the rule it used',
  input,
  mutates: false,
  access: 'viewer',
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['get', 'list'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
  ],
  examples: ['How is the canary doing?', 'compare the canary with stable', 'canary status of placemyparents'],
});
