/** The CLI's view of its terminal: where lines go, whether it may ask the person, and how it reads an answer. */
import type readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createStyle, type Style } from './render.js';

export interface Terminal {
  /** A line for the result (stdout). */
  out(line: string): void;
  /** A line of progress, prompts and errors (stderr when --json keeps stdout for JSON, else stdout). */
  info(line: string): void;
  err(line: string): void;
  style: Style;
  /** True when a person can answer questions (stdin is a terminal, or a test says so). */
  interactive: boolean;
  /** Shows `question` and reads one line; undefined at end of input. */
  ask(question: string): Promise<string | undefined>;
  /** Reads the next line after showing `prompt` (the interactive loop). */
  readLine(prompt: string): Promise<string | undefined>;
  close(): void;
}

export interface TerminalOptions {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  interactive: boolean;
  colour: boolean;
  /** Keep stdout for machine-readable output (--json): progress goes to stderr. */
  jsonOut: boolean;
  /** Line editing and history (stdin and stdout are a real terminal). */
  editing: boolean;
}

export function createTerminal(opts: TerminalOptions): Terminal {
  const style = createStyle(opts.colour);
  const infoStream = opts.jsonOut ? opts.stderr : opts.stdout;
  let rl: readline.Interface | undefined;
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  let closed = false;

  // One readline for the whole session (loaded on first question); lines queue up so piped answers are never lost.
  async function reader(): Promise<readline.Interface> {
    if (rl) return rl;
    const { createInterface } = await import('node:readline');
    if (rl) return rl;
    if (closed) throw new Error('the terminal was closed');
    rl = createInterface({ input: opts.stdin, output: opts.editing ? infoStream : undefined, terminal: opts.editing });
    rl.on('line', (line) => {
      const w = waiting.shift();
      if (w) w(line);
      else queued.push(line);
    });
    rl.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w(undefined);
    });
    return rl;
  }

  async function next(prompt: string): Promise<string | undefined> {
    const r = await reader();
    if (opts.editing) {
      r.setPrompt(prompt);
      r.prompt();
    } else infoStream.write(prompt);
    // Without line editing nothing echoes the answer, so end the prompt's line ourselves.
    const answered = (line: string | undefined) => {
      if (!opts.editing) infoStream.write('\n');
      return line;
    };
    if (queued.length > 0) return Promise.resolve(answered(queued.shift()));
    if (ended) return Promise.resolve(answered(undefined));
    return new Promise<string | undefined>((resolve) => waiting.push(resolve)).then(answered);
  }

  return {
    out: (line) => opts.stdout.write(`${line}\n`),
    info: (line) => infoStream.write(`${line}\n`),
    err: (line) => opts.stderr.write(`${line}\n`),
    style,
    interactive: opts.interactive,
    ask: (question) => (opts.interactive ? next(question) : Promise.resolve(undefined)),
    readLine: next,
    close: () => {
      closed = true;
      rl?.close();
    },
  };
}
