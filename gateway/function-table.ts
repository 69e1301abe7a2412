/** The functions a gateway serves: read from stack.yml or deployed through /system/functions, with their settings. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseDurationMs } from '../kernel/config.js';
import type { Stack, StackFunction } from '../stack/stack-file.js';

export const NAMESPACE = 'openfaas-fn';
/** Generous by default: a planner step that asks a model takes tens of seconds. */
export const DEFAULT_EXEC_TIMEOUT_MS = 5 * 60_000;

export interface DeployedFunction {
  name: string;
  /** Compiled folder holding handler.js (under distRoot). */
  folder: string;
  image: string;
  envVars: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  secrets: string[];
  constraints: string[];
  limits?: { memory?: string; cpu?: string };
  requests?: { memory?: string; cpu?: string };
  readOnlyRootFilesystem?: boolean;
  execTimeoutMs: number;
  createdAt: string;
  /** Desired replicas, as recorded by scale-function; the embedded gateway runs one instance. */
  replicas: number;
}

/** `NAME` or `NAME.NAMESPACE`, split at the last dot as the OpenFaaS gateway does. */
export function splitFunctionName(raw: string): { name: string; namespace: string } {
  const dot = raw.lastIndexOf('.');
  if (dot <= 0) return { name: raw, namespace: NAMESPACE };
  return { name: raw.slice(0, dot), namespace: raw.slice(dot + 1) };
}

export function execTimeoutOf(env: Record<string, string>, name: string): number {
  const raw = env.exec_timeout;
  return raw ? parseDurationMs(raw, `functions.${name}.environment.exec_timeout`) : DEFAULT_EXEC_TIMEOUT_MS;
}

/** Where the compiled code of a function lives: stack.yml handlers point at source folders, so map them into distRoot. */
export function compiledFolder(distRoot: string, handler: string): string {
  return path.resolve(distRoot, handler.replace(/^\.\//, ''));
}

export function fromStackEntry(name: string, fn: StackFunction, distRoot: string, now: Date): DeployedFunction {
  const envVars = { ...(fn.environment ?? {}) };
  return {
    name,
    folder: compiledFolder(distRoot, fn.handler),
    image: fn.image,
    envVars,
    labels: { ...(fn.labels ?? {}) },
    annotations: { ...(fn.annotations ?? {}) },
    secrets: [...(fn.secrets ?? [])],
    constraints: [...(fn.constraints ?? [])],
    ...(fn.limits ? { limits: fn.limits } : {}),
    ...(fn.requests ? { requests: fn.requests } : {}),
    ...(fn.readonly_root_filesystem !== undefined ? { readOnlyRootFilesystem: fn.readonly_root_filesystem } : {}),
    execTimeoutMs: execTimeoutOf(envVars, name),
    createdAt: now.toISOString(),
    replicas: 1,
  };
}

export function functionsFromStack(stack: Stack, distRoot: string, now = new Date()): DeployedFunction[] {
  return Object.entries(stack.functions).map(([name, fn]) => fromStackEntry(name, fn, distRoot, now));
}

export function hasCompiledHandler(folder: string): boolean {
  return existsSync(path.join(folder, 'handler.js'));
}
