/** Input of code-review: which repository and branch; the newest commit is reviewed. */
import { z } from 'zod';
import { defineMeta } from '../../runtime/function-module.js';
import { repoInput } from '../../cluster/repo-input.js';

export const input = z.object(repoInput);

export const meta = defineMeta({
  name: 'code-review',
  description: 'Reviews the newest commit of the app\'s git repository in a Kubernetes Job: leaked secrets, large/binary files, debug leftovers, code changed without tests, risky manifest changes (and a model review when OLLAMA_HOST is set); findings with file:line and severity, verdict approve or request-changes',
  input,
  mutates: false,
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'delete', 'get'] },
    { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
  ],
  examples: ['Review the latest commit', 'review the code on the feature/payments branch', 'check the last commit for leaked secrets'],
  textField: 'branch',
});
