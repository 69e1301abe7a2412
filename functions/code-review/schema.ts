/** Input of code-review: which repository and branch; the newest commit is reviewed. */
import { repoOperationInput, repoOperationMeta } from '../../function-kit/repo-input.js';

export const input = repoOperationInput;

export const meta = repoOperationMeta(
  'code-review',
  'Reviews the newest commit of the app\'s git repository in a Kubernetes Job: leaked secrets, large/binary files, debug leftovers, code changed without tests, risky manifest changes (and a model review when OLLAMA_HOST is set); findings with file:line and severity, verdict approve or request-changes',
  ['Review the latest commit', 'review the code on the feature/payments branch', 'check the last commit for leaked secrets'],
);
