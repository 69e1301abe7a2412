/** Input of automate: set up always-on work — a monitor rule on a schedule, the infrastructure report on a schedule, or test → deploy → verify on pushes — with where alerts go. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { clusterField } from '../../function-kit/cluster-input.js';
import { RULE_KINDS } from '../../monitors/monitor-rule.js';
import { approvalGrants } from '../../function-kit/mutation-step.js';

export const input = z.object({
  what: z.enum(['monitor', 'report', 'ci']).default('monitor').describe('monitor: a rule checked on a schedule; report: the weekly infrastructure report on a schedule; ci: a signed GitHub push to `branch` tests, deploys and verifies Deployment `name`'),
  rule: z.enum(RULE_KINDS).default('pod-health').describe('for a monitor: restarts, not-ready, node-not-ready, deployment-unavailable or pod-health'),
  threshold: z.number().int().min(0).max(10_000).optional().describe('restarts: alert above this many restarts (default 3)'),
  minutes: z.number().int().min(0).max(10_080).optional().describe('how long a condition must last before it alerts'),
  namespace: z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).optional().describe('only this namespace; default: all'),
  schedule: z.string().trim().min(1).max(100).optional().describe('cron schedule, five fields; default */5 * * * * for monitors, 0 8 * * 1 (Mondays 08:00) for the report'),
  notify: z.enum(['slack', 'webhook', 'both', 'none']).default('slack').describe('where alerts or the report go'),
  branch: z.string().trim().min(1).max(255).regex(/^[\w./-]+$/).default('main').describe('ci: the branch whose pushes are deployed'),
  name: z.string().trim().min(1).max(253).optional().describe('ci: the Deployment a push deploys'),
  remove: z.boolean().default(false).describe('monitor: stop it — delete the monitor and its CronJob instead of setting them up'),
  cluster: clusterField,
  dryRun: z.boolean().default(false).describe('show what would be set up without setting it up'),
});

export const meta = defineMeta({
  name: 'automate',
  description: "Sets up always-on work for Ganglion itself (not your apps): a monitor rule checked on a cron schedule with Slack or webhook alerts, the infrastructure report on a schedule (each a Monitor object and a CronJob Ganglion owns), or test → deploy → verify on GitHub pushes",
  input,
  mutates: true,
  access: 'operator',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    ...approvalGrants,
    { apiGroup: 'ganglion.dev', resources: ['pushpipelines'], verbs: ['create', 'get'] },
    // the CronJobs that invoke the monitor and report functions (the workers namespace)
    { apiGroup: 'batch', resources: ['cronjobs'], verbs: ['create', 'delete', 'get', 'update'] },
    // the Monitor objects (namespace ganglion)
    { apiGroup: 'ganglion.dev', resources: ['monitors'], verbs: ['create', 'delete', 'get', 'list', 'update'] },
  ],
  examples: ['Alert me if any pod restarts more than 3 times', 'I keep having to manually check pod health. Can you automate that?', 'Generate a weekly infrastructure report', 'When main branch updates, test and deploy automatically'],
  // What the set-up work calls when it fires: a monitor's schedule, the report's schedule, a push's pipeline.
  needs: (i) => (i.what === 'ci' ? ['github-webhook', 'run-tests', 'deploy', 'verify'] : i.what === 'report' ? ['report'] : ['monitor']),
});
