/** The shape of a `ganglion <subcommand>`: one file per subcommand under cli/commands/, named after it. */
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

export interface CliCommand {
  /** e.g. `approve <run-id> <token>` */
  usage: string;
  summary: string;
  /** More words than this and the line is read as a plain-language command instead. */
  maxArgs: number;
  minArgs?: number;
  run(ctx: CliContext): Promise<number>;
}
