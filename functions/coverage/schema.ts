/** Input of coverage: which repository and branch to measure. */
import { z } from 'zod';
import { defineMeta } from '../../runtime/function-module.js';
import { repoInput } from '../../cluster/repo-input.js';

export const input = z.object(repoInput);

export const meta = defineMeta({
  name: 'coverage',
  description: 'Runs the tests with coverage in a Kubernetes Job (c8/nyc when the repo has them, else node --experimental-test-coverage) and reads the lcov or json-summary: line/branch/function totals as the tool reports them, and the least-covered files',
  input,
  mutates: false,
  // what the code calls on the Kubernetes API; k8s/10-rbac-functions.yaml grants exactly this (test/production)
  kube: [
    { apiGroup: 'apps', resources: ['deployments'], verbs: ['list'] },
    { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'delete', 'get'] },
    { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
    { apiGroup: '', resources: ['pods'], verbs: ['list'] },
  ],
  examples: ['Check code coverage', 'what is the test coverage of staging?', 'which files are least covered?'],
  textField: 'branch',
});
