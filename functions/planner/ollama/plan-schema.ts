/** The plan a model must answer with, derived from the functions' own zod schemas: one definition for both. */
import { z } from 'zod';
import type { FunctionMeta } from '../../../runtime/function-module.js';

type JsonSchema = Record<string, unknown>;

/**
 * The input shape a model sees: the function's schema without `dryRun`, which only the run engine sets.
 * Rebuilt from the shape because `.omit()` refuses schemas with refinements; those cannot be said in JSON Schema
 * anyway, and `parseModelInput` still applies them.
 */
export function modelInputOf(meta: FunctionMeta): z.ZodType {
  const input = meta.input;
  if (!(input instanceof z.ZodObject) || !('dryRun' in input.shape)) return input;
  const { dryRun: _engineOnly, ...shape } = input.shape as Record<string, z.ZodType>;
  return z.object(shape);
}

/** Validates a model's input with the function's full schema (refinements included) and keeps `dryRun` out of it. */
export function parseModelInput(meta: FunctionMeta, raw: unknown): { success: true; data: Record<string, unknown> } | { success: false; error: z.ZodError } {
  const { dryRun: _ignored, ...rest } = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const parsed = meta.input.safeParse(rest);
  if (!parsed.success) return { success: false, error: parsed.error };
  const data = parsed.data && typeof parsed.data === 'object' ? { ...(parsed.data as Record<string, unknown>) } : {};
  if (hasDryRun(meta)) delete data.dryRun;
  return { success: true, data };
}

function hasDryRun(meta: FunctionMeta): boolean {
  return meta.input instanceof z.ZodObject && 'dryRun' in meta.input.shape;
}

/** zod schema of a whole plan: steps whose `input` is a union discriminated by `fn` over every function. */
export function planSchemaOf(catalog: FunctionMeta[]): z.ZodType {
  const steps = catalog.map((meta) =>
    z.object({
      id: z.string(),
      fn: z.literal(meta.name),
      input: modelInputOf(meta),
      dependsOn: z.array(z.string()),
      why: z.string().optional(),
    }),
  );
  const step = steps.length >= 2 ? z.discriminatedUnion('fn', [steps[0], steps[1], ...steps.slice(2)]) : steps.length === 1 ? steps[0] : z.never();
  return z.object({
    steps: z.array(step),
    question: z.string().optional(),
    intent: z.string().optional(),
  });
}

/** The JSON Schema sent as Ollama's `format`, so a grammar constrains the answer to a valid plan shape. */
export function planJsonSchemaOf(catalog: FunctionMeta[]): JsonSchema {
  const { $schema: _drop, ...schema } = z.toJSONSchema(planSchemaOf(catalog), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

/** A function's input schema as JSON Schema (input side: defaults are optional). */
export function inputJsonSchemaOf(meta: FunctionMeta): JsonSchema {
  return z.toJSONSchema(modelInputOf(meta), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** One line per function the model reads: `scale(deployment: string, replicas: integer) [mutates] — Scale a Deployment`. */
export function signatureOf(meta: FunctionMeta): string {
  const schema = inputJsonSchemaOf(meta);
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const args = Object.entries(props).map(([key, prop]) => {
    const desc = typeof prop.description === 'string' ? ` (${shorten(prop.description, 56)})` : '';
    return `${key}${required.has(key) ? '' : '?'}: ${typeOf(prop)}${desc}`;
  });
  return `${meta.name}(${args.join(', ')})${meta.mutates ? ' [mutates]' : ''} — ${shorten(meta.description, 110)}`;
}

function typeOf(node: JsonSchema): string {
  if (Array.isArray(node.enum)) return node.enum.map((v) => JSON.stringify(v)).join('|');
  if ('const' in node) return JSON.stringify(node.const);
  const union = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return union.map(typeOf).join('|');
  if (node.type === 'array') return `${typeOf((node.items ?? {}) as JsonSchema)}[]`;
  if (node.type === 'object') {
    const props = (node.properties ?? {}) as Record<string, JsonSchema>;
    const keys = Object.entries(props);
    if (keys.length === 0) return 'object';
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    return `{${keys.map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeOf(v)}`).join(', ')}}`;
  }
  return typeof node.type === 'string' ? node.type : 'any';
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
