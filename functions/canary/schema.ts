/** Input of canary: start a canary of a new version beside a Deployment, promote it, or abort it. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { approvalGrants, targetFields, timeoutField } from '../../function-kit/mutation-step.js';

export const input = z
  .object({
    action: z.enum(['start', 'promote', 'abort']).describe('start a canary, promote it (the stable gets its image, the canary goes), or abort it (the canary goes)'),
    name: z.string().min(1).max(253).describe('the stable Deployment, e.g. placemyparents'),
    image: z.string().min(1).max(512).optional().describe('start: the whole image of the canary, e.g. registry.local/placemyparents:2.0'),
    tag: z.string().min(1).max(128).optional().describe('start: only the canary\'s tag (version), e.g. "2.0"'),
    container: z.string().min(1).optional().describe('the container whose image differs; default: the only one, or the one named like the Deployment'),
    percent: z.number().int().min(1).max(50).default(20).describe('start: the share of requests the canary should get, by pods (1–50, default 20)'),
    timeoutSeconds: timeoutField(60),
    ...targetFields,
  })
  .refine((v) => v.action !== 'start' || Boolean(v.image) !== Boolean(v.tag), { message: 'start needs either image or tag (one of them)', path: ['tag'] });

export const meta = defineMeta({
  name: 'canary',
  description: 'Canary releases: runs version B as <name>-canary beside the stable Deployment behind the same Service (weighted by pods), then promotes it (stable gets B, canary removed) or aborts it (canary removed)',
  input,
  mutates: true,
  access: 'operator',
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['create', 'delete', 'get', 'list', 'patch'] },
    { apiGroup: 'apps', resources: ['replicasets'], verbs: ['list'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
    ...approvalGrants,
  ],
  examples: ['Canary placemyparents 2.0 at 20%', 'Promote the canary', 'Abort the canary'],
});

