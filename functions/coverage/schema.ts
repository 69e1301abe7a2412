/** Input of coverage: which repository and branch to measure. */
import { repoOperationInput, repoOperationMeta } from '../../function-kit/repo-input.js';

export const input = repoOperationInput;

export const meta = repoOperationMeta(
  'coverage',
  'Runs the tests with coverage in a Kubernetes Job (c8/nyc when the repo has them, else node --experimental-test-coverage) and reads the lcov or json-summary: line/branch/function totals as the tool reports them, and the least-covered files',
  ['Check code coverage', 'what is the test coverage of staging?', 'which files are least covered?'],
);
