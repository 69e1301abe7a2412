/** `ganglion run <id>`: shows a run; follows it while it runs and asks for approval when it waits for one. */
import { RUN_ID_ARG, type CliCommand } from '../cli-command.js';
import { driveRun } from '../run-command.js';

export const command: CliCommand = {
  usage: 'run <run-id>',
  summary: 'show one run (follows it while it runs; asks for approval when it waits)',
  args: [RUN_ID_ARG],
  async run({ args, options, client, term, pollMs }) {
    const run = await client.getRun(args[0] ?? '');
    return driveRun(run, { client, term, yes: options.yes, json: options.json, ...(pollMs ? { pollMs } : {}) });
  },
};
