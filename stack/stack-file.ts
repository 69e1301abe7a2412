/** Reads stack.yml as faas-cli does: ${VAR} and ${VAR:-default} substitution first, then YAML, then checks. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { GanglionError } from '../kernel/errors.js';
import { formatIssues } from '../kernel/zod-issues.js';

const resources = z.object({ memory: z.string().optional(), cpu: z.string().optional() }).optional();

const stackFunction = z.object({
  lang: z.string(),
  handler: z.string(),
  image: z.string(),
  namespace: z.string().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  secrets: z.array(z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  constraints: z.array(z.string()).optional(),
  limits: resources,
  requests: resources,
  readonly_root_filesystem: z.boolean().optional(),
  build_args: z.record(z.string(), z.string()).optional(),
  platforms: z.string().optional(),
});

const stackSchema = z.object({
  version: z.union([z.string(), z.number()]).transform((v) => (typeof v === 'number' ? v.toFixed(1) : v)).optional().refine((v) => v === undefined || v === '1.0', 'only version "1.0" is valid'),
  provider: z.object({ name: z.literal('openfaas', { message: "['openfaas'] is the only valid provider.name" }), gateway: z.string().optional() }),
  functions: z.record(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'function names must be DNS-1123 labels'), stackFunction),
  configuration: z.object({ templates: z.array(z.object({ name: z.string(), source: z.string().optional() })).optional() }).passthrough().optional(),
});

export type StackFunction = z.infer<typeof stackFunction>;
export type Stack = z.infer<typeof stackSchema>;

/** envsubst as faas-cli applies it: ${VAR}, ${VAR:-default}; unset without default → empty. */
export function envsubst(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : fallback ?? '';
  });
}

export function parseStack(text: string, env: Record<string, string | undefined> = process.env, file = 'stack.yml'): Stack {
  let raw: unknown;
  try {
    raw = parse(envsubst(text, env));
  } catch (cause) {
    throw new GanglionError(400, 'stack_invalid', `${file} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const parsed = stackSchema.safeParse(raw);
  if (!parsed.success) {
    const why = formatIssues(parsed.error, { root: '(top)' });
    throw new GanglionError(400, 'stack_invalid', `${file} is invalid: ${why}`);
  }
  return parsed.data;
}

export function loadStack(file: string, env: Record<string, string | undefined> = process.env): Stack {
  return parseStack(readFileSync(file, 'utf8'), env, file);
}
