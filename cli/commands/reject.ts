/** `ganglion reject <id> [token]`: turns down a waiting run (with its token, or as the caller holding approver); nothing it planned is applied. */
import { RUN_ID_ARG, OWN_OR_TOKEN_ARG, type CliCommand } from '../cli-command.js';
import { summaryLine } from '../render.js';
import { exitCodeOf } from '../run-command.js';

export const command: CliCommand = {
  usage: 'reject <run-id> [token]',
  summary: 'turn down a run that waits for approval (nothing is applied)',
  args: [RUN_ID_ARG, OWN_OR_TOKEN_ARG],
  async run({ args, options, client, term }) {
    const run = await client.reject(args[0] ?? '', args[1]);
    if (options.json) term.out(JSON.stringify(run, null, 2));
    else term.out(summaryLine(run, term.style));
    return run.status === 'rejected' ? 0 : exitCodeOf(run);
  },
};
