/** Input of monitor: which monitor to check (as its CronJob sends it), or nothing to check every monitor now. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';

export const input = z.object({
  monitor: z.string().regex(/^[a-z0-9][-a-z0-9]{0,62}$/).optional().describe('id of the monitor to check, e.g. pod-restarts-over-3; omitted: every monitor, now'),
  all: z.boolean().default(false).describe('check every monitor now (the same as leaving out monitor)'),
});

export const meta = defineMeta({
  name: 'monitor',
  description: 'Checks monitor rules against the cluster (restarts over N, pods not Ready, nodes NotReady, Deployments unavailable, pod health) and sends one alert per incident and a resolve notice when it clears; each monitor\'s CronJob invokes it',
  input,
  mutates: false,
  access: 'viewer',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: '', resources: ['events', 'nodes', 'pods'], verbs: ['list'] },
    // the Monitor objects (namespace ganglion): the check records its incidents and the alerts it sent
    { apiGroup: 'ganglion.dev', resources: ['monitors'], verbs: ['get', 'list', 'update'] },
  ],
  examples: ['check my monitors now', 'run the pod-health monitor', 'are any monitors firing?'],
  textField: 'monitor',
});
