/** The `ganglion>` prompt: each line is a plain-language command unless it is exactly a subcommand; `exit` or Ctrl-D leaves. */
import type { Terminal } from './terminal.js';

export interface PromptLoopOptions {
  term: Terminal;
  gateway: string;
  /** Runs one line as `ganglion <line>` would; returns its exit code. */
  runLine(line: string): Promise<number>;
}

export async function promptLoop({ term, gateway, runLine }: PromptLoopOptions): Promise<number> {
  term.info(term.style.dim(`Ganglion at ${gateway}. Type a command ("Show me cluster status"), "help", or "exit".`));
  let last = 0;
  for (;;) {
    const line = await term.readLine('ganglion> ');
    if (line === undefined) break;
    const text = line.trim();
    if (text === '') continue;
    if (text === 'exit' || text === 'quit') break;
    try {
      last = await runLine(text);
    } catch (err) {
      term.err(`ganglion: ${err instanceof Error ? err.message : String(err)}`);
      last = 1;
    }
  }
  term.close();
  return last;
}
