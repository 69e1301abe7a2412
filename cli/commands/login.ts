/**
 * `ganglion login <gateway-url>`: stores an API token for a remote gateway (~/.config/ganglion/credentials.json,
 * 0600), read from the prompt or, piped, from stdin — never from the command line, where `ps` and history see it.
 */
import { GanglionError } from '../../kernel/errors.js';
import type { CliCommand } from '../cli-command.js';
import { saveToken } from '../credentials.js';
import { normaliseGateway } from '../planner-client.js';

export const command: CliCommand = {
  usage: 'login <gateway-url>',
  summary: 'store an API token for a gateway (prompted, or piped on stdin)',
  args: [{ name: 'gateway-url', fits: (w) => /^https?:\/\/\S+$/i.test(w) }],
  async run({ args, term }) {
    const gateway = normaliseGateway(args[0] ?? '');
    const token = (await term.readLine(`API token for ${gateway}: `))?.trim();
    if (!token) throw new GanglionError(400, 'usage', `no token given; paste the token an admin made for you, or pipe it: echo "$TOKEN" | ganglion login ${gateway}`);
    const file = saveToken(process.env, gateway, token);
    term.info(`Token stored for ${gateway} in ${file}; ganglion sends it to that gateway from now on (GANGLION_TOKEN overrides it).`);
    return 0;
  },
};
