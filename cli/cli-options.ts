/** The CLI's flags (node:util parseArgs) and where the gateway URL comes from: --gateway, then OPENFAAS_URL, then the default. */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import { normaliseGateway } from './planner-client.js';
import { resolveToken } from './credentials.js';

export const DEFAULT_GATEWAY = 'http://127.0.0.1:8080';

export interface CliOptions {
  gateway: string;
  json: boolean;
  yes: boolean;
  colour: boolean | undefined;
  help: boolean;
  version: boolean;
  /** --limit: how many of the newest records `ganglion audit` shows; undefined = its default. */
  limit?: number;
  /** GANGLION_HOME: where the local monitor store is read from when no gateway answers, and the embedded stack's admin-token. */
  home: string;
  /** The API token sent as Bearer (cli/credentials.ts says where it comes from); undefined = none found. */
  token?: string;
  positionals: string[];
}

/** A mistake on the command line: exit code 2 with the usage. */
export const usageError = (message: string) => new GanglionError(400, 'usage', message);

export const USAGE = `Usage:
  ganglion "<command>"            send a command, e.g. ganglion "Scale the web tier to 5 replicas"
  ganglion                        interactive prompt (on a terminal)
  ganglion <subcommand> [args]    see the subcommands below

Options:
  -g, --gateway <url>  gateway URL (default: $OPENFAAS_URL, then ${DEFAULT_GATEWAY})
  -y, --yes            approve the run's changes without asking (needs role approver)
      --token <token>  API token (default: $GANGLION_TOKEN, then ganglion login's, then $GANGLION_HOME/admin-token)
      --json           print the run as JSON (progress goes to stderr)
      --limit <n>      ganglion audit: show the newest n records (default 30; with --json, all)
      --no-color       no colour (also NO_COLOR=1; off when output is not a terminal)
  -h, --help           this help
  -v, --version        print the version

Exit codes: 0 done, 1 failed or not approved, 2 usage, 3 waiting for approval (no terminal to ask on).`;

export function parseCliArgs(argv: string[], env: Readonly<Record<string, string | undefined>>): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        gateway: { type: 'string', short: 'g' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        'no-color': { type: 'boolean', default: false },
        color: { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (err) {
    throw usageError(err instanceof Error ? err.message.split('\n')[0] ?? String(err) : String(err));
  }
  const { values, positionals } = parsed;
  const rawGateway = values.gateway ?? (env.OPENFAAS_URL || DEFAULT_GATEWAY);
  if (values.gateway !== undefined && values.gateway.trim() === '') throw usageError('--gateway needs a URL, e.g. --gateway http://127.0.0.1:8080');
  if (values.limit !== undefined && !/^[1-9]\d{0,8}$/.test(values.limit)) throw usageError(`--limit needs a whole number of records from 1 up (got ${JSON.stringify(values.limit.slice(0, 20))})`);
  if (values.token !== undefined && !/^\S{1,500}$/.test(values.token)) throw usageError('--token needs the API token, one word (e.g. gt_…)');
  const gateway = normaliseGateway(rawGateway);
  const home = path.resolve(env.GANGLION_HOME || '.ganglion');
  const token = resolveToken({ ...(values.token ? { flag: values.token } : {}), env, gateway, home });
  return {
    gateway,
    ...(token ? { token } : {}),
    ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
    json: values.json === true,
    yes: values.yes === true,
    colour: values['no-color'] ? false : values.color,
    help: values.help === true,
    version: values.version === true,
    home,
    positionals,
  };
}
