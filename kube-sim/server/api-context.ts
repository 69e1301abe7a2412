/** What every kube-sim request handler is given: the store, the log source, the clock and the parsed request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore } from '../store.js';
import type { PodLogSource } from '../pod-log-source.js';
import type { RequestTarget } from './request-target.js';

export interface ApiContext {
  store: ObjectStore;
  logs?: PodLogSource;
  now(): number;
  /** open watch streams, closed when the server stops */
  streams: Set<ServerResponse>;
  /** DELETE of a bound, running pod sets deletionTimestamp and leaves the rest to the kubelet */
  gracefulPodDeletion: boolean;
}

export interface ResourceRequest {
  ctx: ApiContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  target: RequestTarget;
}

/** A query parameter as a boolean the way the API server reads it ("true"/"1"). */
export function queryFlag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === 'true' || v === '1';
}

/** A non-negative integer query parameter, or undefined. */
export function queryInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
