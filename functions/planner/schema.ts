/** Input of the planner: a command in plain language and where it comes from. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';
import { INTENTS } from './intents/index.js';

export const commandContext = z.object({
  client: z.string().max(64).optional().describe('who sends the command, for the audit log (ganglion-cli, faas-cli, http…)'),
  yes: z.boolean().optional().describe('approve the planned changes without asking (the CLI --yes); an ApprovalPolicy may forbid it'),
  planOnly: z.boolean().optional().describe('plan and preview only; never apply, even with yes'),
  cluster: z.string().min(1).optional().describe('kubeconfig context (cluster) to act on; default: the configured one'),
}).strict();

export const input = z.object({
  text: z.string().trim().min(1, 'say what to do, e.g. "Show me cluster status"').max(4000).describe('what to do, in plain language'),
  context: commandContext.optional(),
});

export const meta = defineMeta({
  name: 'planner',
  description: 'Turns a plain-language command into a plan of function calls and runs it; changes wait for approval',
  input,
  mutates: false,
  access: 'operator',
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: '', resources: ['namespaces', 'pods'], verbs: ['list'] },
    // the Monitor objects, as checks a command runs by name
    { apiGroup: 'ganglion.dev', resources: ['monitors'], verbs: ['list'] },
    { apiGroup: 'ganglion.dev', resources: ['approvalpolicies'], verbs: ['list'] },
    { apiGroup: 'ganglion.dev', resources: ['auditrecords'], verbs: ['create', 'list'] },
    // its runs (run-store.ts) and the approvals it records for mutating functions to spend (run-steps.ts)
    { apiGroup: 'ganglion.dev', resources: ['runs'], verbs: ['create', 'get', 'list', 'update'] },
    { apiGroup: 'ganglion.dev', resources: ['approvals'], verbs: ['create'] },
  ],
  examples: INTENTS.map((i) => i.examples[0] as string),
  textField: 'text',
});
