/** The shape of a `ganglion <subcommand>`: one file per subcommand under cli/commands/, named after it. */
import { isRunId } from '../events/run-id.js';
import type { CliOptions } from './cli-options.js';
import type { PlannerClient } from './planner-client.js';
import type { Terminal } from './terminal.js';

export interface CliContext {
  args: string[];
  options: CliOptions;
  client: PlannerClient;
  term: Terminal;
  pollMs?: number;
}

/** One argument of a subcommand and what a word must look like to be it. */
export interface CliArg {
  name: string;
  fits(word: string): boolean;
  /** may be left out (only at the end) */
  optional?: boolean;
}

/** Run ids (the planner's and this CLI's) carry a dash and digits; a word such as "tests" or "smoke-tests" does not. */
export const RUN_ID_ARG: CliArg = { name: 'run-id', fits: (w) => isRunId(w) && w.includes('-') && /\d/.test(w) };
/** Approval tokens are hex today; older planners sent base64url, which this also accepts. */
export const TOKEN_ARG: CliArg = { name: 'token', fits: (w) => /^[A-Za-z0-9_-]{1,200}$/.test(w) };
/** The token of approve and reject: left out, the caller approves (or rejects) as themself, holding role approver. */
export const OWN_OR_TOKEN_ARG: CliArg = { ...TOKEN_ARG, optional: true };

export interface CliCommand {
  /** e.g. `approve <run-id> [token]` */
  usage: string;
  summary: string;
  /** Its arguments, in order: a line is this subcommand only when its words fit them exactly, else plain language. */
  args: readonly CliArg[];
  run(ctx: CliContext): Promise<number>;
}

/**
 * How `words` (after the subcommand's name) meet `cmd`: `exact` when every argument is there and fits; `short` when
 * those given fit but some are missing (on the command line: a usage error); else `no` (plain language).
 */
export function matchArgs(cmd: CliCommand, words: readonly string[]): 'exact' | 'short' | 'no' {
  if (words.length > cmd.args.length) return 'no';
  if (!words.every((w, i) => cmd.args[i]?.fits(w))) return 'no';
  return words.length >= cmd.args.filter((a) => !a.optional).length ? 'exact' : 'short';
}
