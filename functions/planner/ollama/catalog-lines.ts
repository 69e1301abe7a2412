/** The catalog as the model reads it: one short line per function, arguments shared by many functions said once. */
import type { FunctionMeta } from '../../../runtime/function-module.js';
import { inputJsonSchemaOf, type JsonSchema } from './plan-schema.js';

/** An argument with the same description in this many functions is explained once, on the "common arguments" line. */
const COMMON_AT = 3;

interface Arg { key: string; required: boolean; type: string; description?: string }

function argsOf(meta: FunctionMeta): Arg[] {
  const schema = inputJsonSchemaOf(meta);
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(props).map(([key, prop]) => ({
    key,
    required: required.has(key),
    type: typeOf(prop),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
  }));
}

/** `key?: type (description)` pairs that many functions share, keyed by `key`. */
export function commonArgs(catalog: FunctionMeta[]): Map<string, string> {
  const counts = new Map<string, { n: number; arg: Arg }>();
  for (const meta of catalog) {
    for (const arg of argsOf(meta)) {
      const id = `${arg.key}\n${arg.type}\n${arg.description ?? ''}`;
      const seen = counts.get(id);
      counts.set(id, { n: (seen?.n ?? 0) + 1, arg });
    }
  }
  const out = new Map<string, string>();
  for (const { n, arg } of counts.values()) {
    if (n >= COMMON_AT && !out.has(arg.key)) out.set(arg.key, `${arg.key}: ${arg.type}${arg.description ? ` (${firstClause(arg.description, 80)})` : ''}`);
  }
  return out;
}

/**
 * One line per function: `scale(name?: string (Name of one Deployment to scale), replicas: integer, namespace?) [mutates] — …`.
 * Common arguments appear by name only.
 */
export function signatureOf(meta: FunctionMeta, common: Map<string, string> = new Map()): string {
  const args = argsOf(meta).map((a) => {
    const mark = a.required ? '' : '?';
    if (common.has(a.key) && common.get(a.key) === `${a.key}: ${a.type}${a.description ? ` (${firstClause(a.description, 80)})` : ''}`) return `${a.key}${mark}`;
    return `${a.key}${mark}: ${a.type}${a.description ? ` (${firstClause(a.description, 44)})` : ''}`;
  });
  return `${meta.name}(${args.join(', ')})${meta.mutates ? ' [mutates]' : ''} — ${cutAtWord(meta.description.replace(/\s+/g, ' ').trim(), 110)}`;
}

/** The FUNCTIONS block of the system prompt. */
export function catalogLines(catalog: FunctionMeta[]): string[] {
  const common = commonArgs(catalog);
  const lines = catalog.map((m) => signatureOf(m, common));
  if (common.size) lines.unshift(`Common arguments: ${[...common.values()].join('; ')}`);
  return lines;
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

/** The text up to the first "; " or ", e.g." (the rest is elaboration), cut at a word within `max`. */
function firstClause(text: string, max: number): string {
  return cutAtWord(text.replace(/\s+/g, ' ').trim().split(/;\s|,? e\.g\.|\s\(e\.g\./)[0].trim(), max);
}

function cutAtWord(line: string, max: number): string {
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
