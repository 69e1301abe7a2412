/** The catalog as the model reads it: one short line per function, arguments shared by many functions said once. */
import type { FunctionMeta } from '../../../function-kit/function-module.js';
import type { CheckFact } from '../plan.js';
import { inputJsonSchemaOf, type JsonSchema } from './plan-schema.js';

/** An argument (same name and type) in this many functions is explained once, on the "common arguments" line. */
const COMMON_AT = 3;
/**
 * Arguments with defaults that only tune how a function runs (time limits, scanner image, the approval flow's diff
 * hash, verify's settle window and URL, a canary's sample sizes, how many pods analyze-logs reads): a command never
 * names them, so the prompt leaves them out. They stay in the schema and are still accepted.
 */
const TUNING = new Set(['timeoutSeconds', 'scannerImage', 'diffHash', 'windowSeconds', 'smokeUrl', 'minRequests', 'requests', 'seconds', 'maxPods']);
const ARG_TEXT = 48;
const COMMON_TEXT = 48;
const FN_TEXT = 76;

interface Arg { key: string; required: boolean; type: string; description?: string }

function argsOf(meta: FunctionMeta): Arg[] {
  const schema = inputJsonSchemaOf(meta);
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(props)
    .filter(([key]) => required.has(key) || !TUNING.has(key))
    .map(([key, prop]) => ({ key, required: required.has(key), type: typeOf(prop), ...(usefulText(prop) ? { description: usefulText(prop) } : {}) }));
}

/** `key: type (description)` for arguments many functions share (same name and type), keyed by `key`. */
export function commonArgs(catalog: FunctionMeta[]): Map<string, string> {
  const seen = new Map<string, { n: number; texts: Map<string, number> }>();
  for (const meta of catalog) {
    for (const arg of argsOf(meta)) {
      const id = `${arg.key}: ${arg.type}`;
      const entry = seen.get(id) ?? { n: 0, texts: new Map<string, number>() };
      entry.n += 1;
      if (arg.description) entry.texts.set(arg.description, (entry.texts.get(arg.description) ?? 0) + 1);
      seen.set(id, entry);
    }
  }
  const out = new Map<string, string>();
  for (const [id, { n, texts }] of seen) {
    const key = id.slice(0, id.indexOf(':'));
    if (n < COMMON_AT || out.has(key)) continue;
    // The description most functions give for it, when at least half of them do; otherwise the name says enough.
    const [text, uses] = [...texts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    out.set(key, `${id}${text && uses * 2 >= n ? ` (${firstClause(text, COMMON_TEXT)})` : ''}`);
  }
  return out;
}

/**
 * One line per function: `scale(name?: string (Name of one Deployment to scale), selector?: string, replicas: integer,
 * namespace?) [mutates] — …`. Common arguments appear by name only; tuning arguments not at all.
 */
export function signatureOf(meta: FunctionMeta, common: Map<string, string> = new Map()): string {
  const args = argsOf(meta).map((a) => {
    const mark = a.required ? '' : '?';
    if (common.get(a.key)?.startsWith(`${a.key}: ${a.type}`)) return `${a.key}${mark}`;
    return `${a.key}${mark}: ${a.type}${a.description ? ` (${firstClause(a.description, ARG_TEXT)})` : ''}`;
  });
  return `${meta.name}(${args.join(', ')})${meta.mutates ? ' [mutates]' : ''} — ${firstSentence(meta.description, FN_TEXT)}`;
}

/** The FUNCTIONS block of the system prompt. */
export function catalogLines(catalog: FunctionMeta[]): string[] {
  const common = commonArgs(catalog);
  const lines = catalog.map((m) => signatureOf(m, common));
  if (common.size) lines.unshift(`Common arguments: ${[...common.values()].join('; ')}`);
  return lines;
}

const CHECK_TEXT = 80;

/**
 * The CHECKS block: each Monitor object as one line, `name — description (schedule)`, run with one monitor step.
 * The text comes from cluster objects, so it is flattened to one printable line and cut short.
 */
export function checkLines(checks: CheckFact[], catalog: FunctionMeta[]): string[] {
  if (!checks.length || !catalog.some((m) => m.name === 'monitor')) return [];
  const flat = (text: string, max: number) => cutAtWord(text.replace(/[^\x20-\x7e\u00a0-\uffff]+/g, ' ').replace(/\s+/g, ' ').trim(), max);
  return [
    'CHECKS (monitor rules already set up; "run the <name> check" is one step {"fn":"monitor","input":{"monitor":"<name>"}}; only these names exist):',
    ...checks.map((c) => `${c.name} — ${flat(c.description, CHECK_TEXT)} (${flat(c.schedule, 40)})`),
  ];
}

/** Enums as `a|b`: the format grammar already makes them JSON strings. */
function typeOf(node: JsonSchema): string {
  if (Array.isArray(node.enum)) return node.enum.map(String).join('|');
  if ('const' in node) return JSON.stringify(node.const);
  const union = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return union.map(typeOf).join('|');
  if (node.type === 'array') {
    const item = typeOf((node.items ?? {}) as JsonSchema);
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  if (node.type === 'object') {
    const props = (node.properties ?? {}) as Record<string, JsonSchema>;
    const keys = Object.entries(props);
    if (keys.length === 0) return 'object';
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    return `{${keys.map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeOf(v)}`).join(', ')}}`;
  }
  return typeof node.type === 'string' ? node.type : 'any';
}

/** A description worth its tokens: not one that only lists an enum's values again. */
function usefulText(node: JsonSchema): string | undefined {
  if (typeof node.description !== 'string' || !node.description.trim()) return undefined;
  const values = Array.isArray(node.enum) ? node.enum : Array.isArray((node.items as JsonSchema | undefined)?.enum) ? ((node.items as JsonSchema).enum as unknown[]) : [];
  if (values.length && values.every((v) => node.description?.toString().includes(String(v)))) return undefined;
  return node.description;
}

/** The text up to the first "; ", " (" or ", e.g." (the rest is elaboration), cut at a word within `max`. */
function firstClause(text: string, max: number): string {
  return cutAtWord(text.replace(/\s+/g, ' ').trim().split(/;\s|,? e\.g\.|\s\(/)[0].trim().replace(/[,;:]$/, ''), max);
}

/** The first sentence, cut at a word within `max`. */
function firstSentence(text: string, max: number): string {
  return cutAtWord(text.replace(/\s+/g, ' ').trim().split(/\.\s/)[0].replace(/\.$/, '').trim(), max);
}

/** Cut within `max`: at the last ", " when that keeps over half (a whole phrase, no ellipsis), else at a word with "…". */
function cutAtWord(line: string, max: number): string {
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const comma = cut.lastIndexOf(', ');
  if (comma > max / 2 && balanced(cut.slice(0, comma))) return cut.slice(0, comma);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[,;:(\s]+$/, '')}…`;
}

/** No parenthesis left open. */
function balanced(text: string): boolean {
  return (text.match(/\(/g)?.length ?? 0) === (text.match(/\)/g)?.length ?? 0);
}
