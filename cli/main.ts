/** The `ganglion` command: flags, subcommand dispatch (cli/commands/<name>.js), one-shot and interactive runs, exit codes. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { GanglionError } from '../kernel/errors.js';
import { matchArgs, type CliCommand } from './cli-command.js';
import { parseCliArgs, USAGE, type CliOptions } from './cli-options.js';
import { promptLoop } from './interactive.js';
import { createPlannerClient, type PlannerClient } from './planner-client.js';
import { useColour } from './render.js';
import { EXIT, runCommand } from './run-command.js';
import { createTerminal, type Terminal } from './terminal.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
  /** A person can answer prompts (stdin is a terminal). */
  interactive: boolean;
  /** stdout is a terminal (colour, line editing). */
  stdoutIsTTY: boolean;
  /** Poll interval when the planner offers no event stream (tests shorten it). */
  pollMs?: number;
}

const commandsDir = new URL('./commands/', import.meta.url);

async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(new URL(`${name}.js`, commandsDir))) return undefined;
  const mod = (await import(new URL(`${name}.js`, commandsDir).href)) as { command?: CliCommand };
  return mod.command;
}

async function helpText(): Promise<string> {
  const names = readdirSync(commandsDir).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js')).map((f) => f.slice(0, -3)).sort();
  const lines: string[] = [];
  for (const name of names) {
    const cmd = await loadCommand(name);
    if (cmd) lines.push(`  ${`ganglion ${cmd.usage}`.padEnd(36)}${cmd.summary}`);
  }
  return `${USAGE}\n\nSubcommands:\n${lines.join('\n')}`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * Argv or a prompt line: a subcommand when the first word names one and the rest fits its arguments exactly, else a
 * plain-language command (`run tests` goes to the planner). On the command line a subcommand missing arguments is a
 * usage error; at the prompt it is plain language too.
 */
async function dispatch(words: string[], from: 'argv' | 'prompt', options: CliOptions, client: PlannerClient, term: Terminal, io: CliIo): Promise<number> {
  const [first = '', ...rest] = words;
  const cmd = await loadCommand(first);
  const fit = cmd ? matchArgs(cmd, rest) : 'no';
  if (cmd && fit === 'exact') return cmd.run({ args: rest, options, client, term, ...(io.pollMs ? { pollMs: io.pollMs } : {}) });
  if (cmd && fit === 'short' && from === 'argv') throw new GanglionError(400, 'usage', `missing arguments: ganglion ${cmd.usage}`);
  if (first === 'help' && rest.length === 0) {
    term.out(await helpText());
    return EXIT.done;
  }
  return runCommand(words.join(' '), { client, term, yes: options.yes, json: options.json, ...(io.pollMs ? { pollMs: io.pollMs } : {}) });
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, io.env);
  } catch (err) {
    io.stderr.write(`ganglion: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout.write(`${await helpText()}\n`);
    return EXIT.done;
  }
  if (options.version) {
    io.stdout.write(`ganglion ${version()}\n`);
    return EXIT.done;
  }
  const colour = options.colour ?? useColour(io.env, io.stdoutIsTTY);
  const term = createTerminal({ stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, interactive: io.interactive, colour, jsonOut: options.json, editing: io.interactive && io.stdoutIsTTY });
  const client = createPlannerClient({ gateway: options.gateway, ...(options.token ? { token: options.token } : {}) });
  try {
    if (options.positionals.length === 0) {
      if (!io.interactive) {
        io.stderr.write(`ganglion: no command given and stdin is not a terminal\n\n${USAGE}\n`);
        return EXIT.usage;
      }
      return await promptLoop({ term, gateway: options.gateway, runLine: (line) => dispatch(line.split(/\s+/), 'prompt', options, client, term, io) });
    }
    return await dispatch(options.positionals, 'argv', options, client, term, io);
  } catch (err) {
    if (err instanceof GanglionError && err.code === 'usage') {
      term.err(`ganglion: ${err.message}`);
      return EXIT.usage;
    }
    term.err(`ganglion: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  } finally {
    term.close();
  }
}
