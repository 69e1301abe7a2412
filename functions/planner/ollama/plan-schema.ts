/** The plan a model must answer with, derived from the functions' own zod schemas: one definition for both. */
import * as z from 'zod';
import type { FunctionMeta } from '../../../function-kit/function-module.js';

export type JsonSchema = Record<string, unknown>;

/**
 * The input shape a model sees: the function's schema without `dryRun`, which only the run engine sets.
 * Rebuilt from the shape because `.omit()` refuses schemas with refinements; those cannot be said in JSON Schema
 * anyway, and the plan check (plan-check.ts) still applies them.
 */
export function modelInputOf(meta: FunctionMeta): z.ZodType {
  const input = meta.input;
  if (!(input instanceof z.ZodObject) || !('dryRun' in input.shape)) return input;
  const { dryRun: _engineOnly, ...shape } = input.shape as Record<string, z.ZodType>;
  return z.object(shape);
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

/**
 * The JSON Schema sent as Ollama's `format`, so a grammar constrains the answer to a valid plan shape. Only the
 * structure goes: llama.cpp turns `maxLength: 253` or a `pattern` into large grammar rules that slow every token,
 * and the answer is validated against the full schema afterwards anyway.
 */
export function planJsonSchemaOf(catalog: FunctionMeta[]): JsonSchema {
  return structureOnly(z.toJSONSchema(planSchemaOf(catalog), { io: 'input', unrepresentable: 'any' })) as JsonSchema;
}

const STRUCTURE = new Set(['type', 'properties', 'required', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'additionalProperties', '$ref', '$defs']);

function structureOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structureOnly);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (!STRUCTURE.has(key)) continue;
    // `properties` and `$defs` map names to schemas: keep every name, clean each schema.
    out[key] = key === 'properties' || key === '$defs'
      ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, structureOnly(v)]))
      : structureOnly(value);
  }
  return out;
}

/** A function's input schema as JSON Schema (input side: defaults are optional). */
export function inputJsonSchemaOf(meta: FunctionMeta): JsonSchema {
  return z.toJSONSchema(modelInputOf(meta), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}
