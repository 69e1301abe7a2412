/**
 * What a container runs (command/args over the image's ENTRYPOINT/CMD) and whether its program exists in the image:
 * a missing program is a StartError from containerd; a missing first command of `sh -c "…"` is the shell's exit 127.
 */
import type { KnownImage } from './image-catalog.js';

export interface CommandSpec { command?: string[]; args?: string[] }

export type CommandFault =
  | { kind: 'start-error'; message: string }
  | { kind: 'not-found'; exitCode: 127; log: string };

const SHELLS = new Set(['sh', 'ash', 'dash', 'bash']);
// keywords and builtins every shell has, so never looked up on PATH
const BUILTINS = new Set([
  '!', '{', '(', '[[', 'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done', 'function',
  ':', '.', 'source', 'alias', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exit', 'export', 'false', 'getopts',
  'hash', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', '[', 'times', 'trap',
  'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait',
]);

const basename = (program: string) => program.slice(program.lastIndexOf('/') + 1);

/** The argv the runtime executes: command replaces ENTRYPOINT (and drops CMD), args replace CMD. */
export function containerArgv(image: KnownImage, spec: CommandSpec): string[] {
  if (spec.command?.length) return [...spec.command, ...(spec.args ?? [])];
  return [...(image.entry.entrypoint ?? []), ...(spec.args ?? image.entry.cmd ?? [])];
}

/** The image's own program: CMD's first word behind a wrapper entrypoint script, else the ENTRYPOINT. */
export function defaultProgram(image: KnownImage): string | undefined {
  const entry = image.entry.entrypoint?.[0];
  const cmd = image.entry.cmd?.[0];
  if (entry && cmd && /entrypoint\.sh$/.test(entry)) return basename(cmd);
  return entry ? basename(entry) : cmd ? basename(cmd) : undefined;
}

/** The program that will run: the first argv word, or CMD's when a wrapper entrypoint script passes it on. */
export function runningProgram(image: KnownImage, argv: string[]): string | undefined {
  const first = argv[0] === undefined ? undefined : basename(argv[0]);
  if (first && /entrypoint\.sh$/.test(first) && argv.length > 1 && !argv[1].startsWith('-')) return basename(argv[1]);
  if (first && /entrypoint\.sh$/.test(first)) return defaultProgram(image);
  return first;
}

/** The first simple command of a shell script and whether the script's exit status is that command's. */
export function firstScriptCommand(script: string): { word: string; decidesExit: boolean } | undefined {
  const m = /^\s*((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)(?:exec\s+)?([^\s;&|()]+)([^;&|\n]*)(;|&&|\|\||\||\n|&|$)/.exec(script);
  if (!m) return undefined;
  const rest = script.slice(m.index + m[0].length).trim();
  // `perl x` or `perl x && y` ends with perl's 127; after `;`, a newline or `||` the script goes on
  const decidesExit = rest === '' || m[4] === '&&';
  return { word: m[2].replace(/^["']|["']$/g, ''), decidesExit };
}

function startError(program: string): string {
  const why = program.includes('/') ? `stat ${program}: no such file or directory` : 'executable file not found in $PATH';
  return 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ' +
    `unable to start container process: exec: "${program}": ${why}: unknown`;
}

/** What the shell prints for a command it cannot find: busybox ash, dash and bash each word it their own way. */
function notFoundLine(shellPath: string, os: string | undefined, word: string): string {
  const shell = basename(shellPath);
  if (shell === 'bash' || os === 'oraclelinux') return `${shellPath}: line 1: ${word}: command not found`;
  if (os === 'busybox' || os === 'alpine') return `${shellPath}: ${word}: not found`;
  return `${shellPath}: 1: ${word}: not found`;
}

/** The fault a container's command meets in this image, if the catalog knows the image's programs. */
export function commandFault(image: KnownImage, argv: string[]): CommandFault | undefined {
  const programs = image.executables;
  if (!programs || argv.length === 0) return undefined;
  const program = argv[0];
  if (!programs.has(basename(program))) return { kind: 'start-error', message: startError(program) };
  if (!SHELLS.has(basename(program)) || argv[1] !== '-c' || argv[2] === undefined) return undefined;
  const first = firstScriptCommand(argv[2]);
  if (!first || BUILTINS.has(first.word) || programs.has(basename(first.word))) return undefined;
  const log = notFoundLine(program, image.os, first.word);
  return first.decidesExit ? { kind: 'not-found', exitCode: 127, log } : undefined;
}
