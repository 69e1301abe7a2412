/** Input of run-tests: which repository and branch to test. */
import { z } from 'zod';
import { defineMeta } from '../../runtime/function-module.js';
import { repoInput } from '../../cluster/repo-input.js';

export const input = z.object(repoInput);

export const meta = defineMeta({
  name: 'run-tests',
  description: 'Runs the tests of a branch of the app\'s git repository in a Kubernetes Job (clone, install when there are dependencies, the repo\'s test command); passed/failed/skipped and each failure\'s name and message (TAP, JUnit XML, node --test, uvu)',
  input,
  mutates: false,
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'delete', 'get'] },
    { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
  ],
  examples: ['Run tests on the staging branch', 'do the tests pass on main?', 'run the test suite of placemyparents'],
  textField: 'branch',
});
