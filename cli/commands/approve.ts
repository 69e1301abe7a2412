/**
 * `ganglion approve <id> [token]`: approves a waiting run with its single-use token, or without one as the caller
 * (any principal holding approver, e.g. for a run an operator started), and follows it to the end.
 */
import { RUN_ID_ARG, OWN_OR_TOKEN_ARG, type CliCommand } from '../cli-command.js';
import { approveRun } from '../run-command.js';

export const command: CliCommand = {
  usage: 'approve <run-id> [token]',
  summary: 'approve a run that waits for approval, then follow it',
  args: [RUN_ID_ARG, OWN_OR_TOKEN_ARG],
  async run({ args, options, client, term, pollMs }) {
    return approveRun(args[0] ?? '', args[1], { client, term, yes: false, json: options.json, ...(pollMs ? { pollMs } : {}) });
  },
};
