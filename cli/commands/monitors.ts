/** `ganglion monitors`: placeholder until the monitors work (issue 8) replaces this file with the real listing. */
import type { CliCommand } from '../cli-command.js';

export const command: CliCommand = {
  usage: 'monitors',
  summary: 'list monitors (not available yet)',
  maxArgs: 0,
  async run({ term }) {
    term.err('ganglion monitors is not available yet: the monitors function has not landed. Ask in plain words meanwhile, e.g. ganglion "List all failing pods"');
    return 1;
  },
};
