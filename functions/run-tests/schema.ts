/** Input of run-tests: which repository and branch to test. */
import { repoOperationInput, repoOperationMeta } from '../../function-kit/repo-input.js';

export const input = repoOperationInput;

export const meta = repoOperationMeta(
  'run-tests',
  'Runs the tests of a branch of the app\'s git repository in a Kubernetes Job (clone, install when there are dependencies, the repo\'s test command); passed/failed/skipped and each failure\'s name and message (TAP, JUnit XML, node --test, uvu)',
  ['Run tests on the staging branch', 'do the tests pass on main?', 'run the test suite of placemyparents'],
);
