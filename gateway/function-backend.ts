/** What both gateway modes provide: start, stop and invoke one function; the HTTP contract above them is shared. */
import type { GatewayMode } from '../kernel/config.js';
import type { FnResponse } from '../function-kit/function-module.js';
import type { DeployedFunction } from './function-table.js';

export interface UpstreamRequest {
  method: string;
  /** Path below the function, starting with '/'. */
  path: string;
  /** Raw query string without '?', or ''. */
  query: string;
  /** Lower-cased headers, hop-by-hop ones already removed. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export interface FunctionBackend {
  mode: GatewayMode;
  /** Starts (or restarts with new settings) a function; resolves once it serves or has failed its first start. */
  start(fn: DeployedFunction): Promise<void>;
  stop(name: string): Promise<void>;
  /** Throws GanglionError 502 when the function cannot be reached; rejects with the signal's reason when aborted. */
  invoke(name: string, req: UpstreamRequest, signal: AbortSignal): Promise<FnResponse>;
  /** While a start of the function is under way: settles once it serves or that start failed. Else undefined. */
  starting(name: string): Promise<void> | undefined;
  /** 1 while the function can serve, else 0. */
  available(name: string): number;
  /** Process ids serving each function (the gateway's own pid in shared mode). */
  pids(): Record<string, number>;
  stopAll(): Promise<void>;
}
