/** Input fields every code operation shares (which repository, which branch, how long), described once for the planner. */
import * as z from 'zod';
import { defineMeta, type FunctionMeta } from './function-module.js';

export const repoInput = {
  repo: z.string().trim().min(1).max(2048).optional()
    .describe('git repository: an app\'s ganglion.dev/repo annotation, GANGLION_REPO, or an https/ssh URL under a GANGLION_REPO_ALLOW prefix (others are refused 403); default: the app\'s annotation, then GANGLION_REPO'),
  app: z.string().trim().min(1).max(253).optional()
    .describe('the app (Deployment name) whose ganglion.dev/repo annotation names the repository'),
  namespace: z.string().max(63).regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/).optional()
    .describe('namespace of the app; default: all namespaces'),
  branch: z.string().trim().min(1).max(255).regex(/^[\w./-]+$/, 'must be a branch name').optional()
    .describe('branch to check out; default: the repository\'s default branch'),
  cluster: z.string().min(1).max(253).optional()
    .describe('kubeconfig context of the cluster the Job runs on; default: the configured one'),
  timeoutSeconds: z.number().int().min(1).max(3600).optional()
    .describe('the Job\'s activeDeadlineSeconds (default GANGLION_WORKER_DEADLINE_S, 600)'),
};

export const repoOperationInput = z.object(repoInput);

/** The metadata of a read-only code operation on a repository (code-review, run-tests, coverage): only the words differ. */
export function repoOperationMeta(name: string, description: string, examples: string[]): FunctionMeta<typeof repoOperationInput> {
  return defineMeta({
    name, description, input: repoOperationInput, mutates: false, access: 'operator', examples, textField: 'branch',
    // what the code calls on the Kubernetes API (find the repo on a Deployment, run the worker Job, read its log);
    // k8s/10-rbac-functions.yaml grants exactly this (test/production)
    kube: [
      { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
      { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'delete', 'get'] },
      { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
      { apiGroup: '', resources: ['pods'], verbs: ['list'] },
    ],
  });
}
