/** What a function folder provides to the runtime: its metadata, input schema, handler and optional routes. */
import type { z } from 'zod';
import type { Logger } from '../kernel/logger.js';
import type { RuntimeConfig } from '../kernel/config.js';
import type { KubeAccess } from '../cluster/kube-access.js';
import type { Principal, Role } from '../access/api-tokens.js';

/**
 * Who may call a function's step: `viewer` for what only reads (status, logs, config), `operator` for what runs code
 * or images and for a change's dry run (the change itself also needs the planner's approval). `public` (no identity)
 * only for what carries its own proof and returns nothing sensitive — docs/production.md lists each one.
 */
export type FunctionAccess = 'public' | 'viewer' | 'operator';
/** Who may call a route: `public` or the least role. */
export type RouteAccess = 'public' | Role;

export interface FunctionMeta<S extends z.ZodType = z.ZodType> {
  /** DNS-1123 name, as in stack.yml. */
  name: string;
  /** One line a person (and the model) reads. */
  description: string;
  /** The single definition of the input: validates, types, documents, feeds the planner. */
  input: S;
  /** Whether running it changes the cluster or the outside world (needs approval). */
  mutates: boolean;
  /** The least role a caller needs to run a step (host/caller-auth.ts checks it on every call). */
  access: FunctionAccess;
  /**
   * Its answer is a summary anyone may read when the operator opts in (GANGLION_ANONYMOUS_SUMMARIES): counts and
   * names, never logs, config, secrets or anything that changes or runs. Only a read tool (access viewer) may say so.
   */
  summary?: true;
  /** How people ask for it. */
  examples: string[];
  /** A plain-text body (faas-cli invoke) becomes `{ [textField]: text }`. */
  textField?: string;
  /** Kubernetes API access the function's code uses; k8s/ RBAC grants exactly this (checked by test/production). */
  kube?: KubeGrant[];
  /**
   * Functions a call relies on afterwards (the schedule it creates fires one, a webhook runs a pipeline of them): the
   * planner refuses the call, naming them, when the gateway does not list one. Given the input as planned.
   */
  needs?: (input: Record<string, unknown>) => string[];
}

/** One RBAC rule as a function declares it: e.g. { apiGroup: 'apps', resources: ['deployments'], verbs: ['get', 'patch'] }. */
export interface KubeGrant {
  apiGroup: string;
  resources: string[];
  verbs: string[];
}

export interface EventInfo {
  id: string;
  source: string;
  type: string;
  subject?: string;
  extensions: Record<string, string | number | boolean>;
  /** The request carried no CloudEvent: id and source were made up by the runtime, so they name nothing the caller chose. */
  synthetic?: boolean;
}

export interface FunctionContext {
  log: Logger;
  config: RuntimeConfig;
  /** Cluster clients from the kubeconfig (built on first use). */
  kube: KubeAccess;
  now: () => Date;
  /** Aborted when the caller goes away or the function's deadline passes. */
  signal: AbortSignal;
  /** The incoming event (synthesised for a plain body). */
  event: EventInfo;
  /** Request facts a handler may need: headers lower-cased, query, method. */
  request: { method: string; path: string; query: URLSearchParams; headers: Record<string, string> };
  /** Who called, as authenticated by the runtime (absent only for a `public` function or route). */
  principal?: Principal;
}

export interface StepResult<D = unknown> {
  /** One line a person reads. */
  summary: string;
  data: D;
  /** The object touched, e.g. deployment/placemyparents. */
  subject?: string;
  /**
   * Answer with another event than step.completed (the planner answers dev.ganglion.run.*): the event's
   * type and its whole data, and the HTTP status (default 200; e.g. 202 while awaiting approval).
   */
  reply?: { type: string; data: unknown; status?: number };
}

export type Handle<S extends z.ZodType = z.ZodType, D = unknown> = (input: z.infer<S>, ctx: FunctionContext) => Promise<StepResult<D>>;

/** A normalised HTTP exchange, the same for the runtime's own server and the gateway's shared mode. */
export interface FnRequest {
  method: string;
  /** Path below the function, always starting with '/'. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  signal?: AbortSignal;
}
export interface FnResponse {
  status: number;
  headers: Record<string, string>;
  /** A string or bytes, or an async iterable for streams (server-sent events). */
  body: string | Buffer | AsyncIterable<string | Buffer>;
}

export interface FunctionRoute {
  method: string;
  /** e.g. '/runs/:id/approve' */
  path: string;
  /** The least role a caller needs (checked before `handle` runs). */
  access: RouteAccess;
  handle: (req: FnRequest & { params: Record<string, string> }, ctx: FunctionContext) => Promise<FnResponse>;
}

export interface FunctionModule {
  meta: FunctionMeta;
  // Method syntax on purpose: a handler typed for its own schema's input is accepted here.
  handle(input: unknown, ctx: FunctionContext): Promise<StepResult>;
  /** Extra HTTP routes below the function (e.g. the planner's /runs). */
  routes?: FunctionRoute[];
  /** Runs once before the first request. */
  init?: (ctx: Omit<FunctionContext, 'event' | 'request' | 'signal'>) => Promise<void>;
}

/** Identity helper that keeps the schema's type flowing into `handle`. */
export function defineMeta<S extends z.ZodType>(meta: FunctionMeta<S>): FunctionMeta<S> {
  return meta;
}
