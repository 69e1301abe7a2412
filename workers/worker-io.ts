/** What a worker role gets: its parsed arguments, the runtime config, and a progress line writer (the pod log). */
import type { RuntimeConfig } from '../kernel/config.js';

export interface WorkerArgs {
  repo?: string;
  branch?: string;
  name?: string;
  namespace?: string;
  /** verify: how long restart counts must stay still */
  windowMs?: number;
  /** verify: URL of the HTTP smoke check (default: the Service's cluster DNS name) */
  smokeUrl?: string;
  /** invoke: the JSON body to POST */
  body?: string;
  /** words after the role that are not flags (invoke: the function's name) */
  positionals?: string[];
  /** the role's own time budget (the Job's activeDeadlineSeconds is the hard stop) */
  timeoutMs: number;
}

export interface WorkerIo {
  config: RuntimeConfig;
  /** one line of progress on stderr (ends up in the pod log) */
  progress(text: string): void;
  /** raw output of a command the worker runs, copied into the pod log */
  passthrough(chunk: string): void;
}

export interface RoleResult { summary: string; data: Record<string, unknown> }
export type Role = (args: WorkerArgs, io: WorkerIo) => Promise<RoleResult>;
