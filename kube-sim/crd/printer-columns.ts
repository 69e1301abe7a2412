/** The Table printer for a custom resource: Name, then its CRD's additionalPrinterColumns, filled as apiextensions-apiserver fills them. */
import type { CustomColumn } from '../resource-table.js';
import type { Cell, Printer } from '../server/printer.js';
import { ageOf } from '../server/human-duration.js';
import { obj, str, type JsonMap } from '../json-fields.js';

const NAME = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.' };

/** One step of a simple JSONPath: a field, an index, or a `[?(@.field=="value")]` filter. */
type Step = { field: string } | { index: number } | { filter: string; equals: string };

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[\?\(@\.([^=!<>]+)==["']?([^"')]*)["']?\)\]/g;
  for (const m of path.replace(/^\{|\}$/g, '').matchAll(re)) {
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else steps.push({ filter: m[3], equals: m[4] });
  }
  return steps;
}

/** The value a simple JSONPath finds, or undefined (kubectl prints `<none>`). */
export function evaluatePath(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const step of parsePath(path)) {
    if (v === undefined || v === null) return undefined;
    if ('field' in step) v = obj(v)[step.field];
    else if ('index' in step) v = Array.isArray(v) ? v[step.index] : undefined;
    else v = Array.isArray(v) ? v.find((item) => String(obj(item)[step.filter]) === step.equals) : undefined;
  }
  return v;
}

function cell(type: string, value: unknown, now: number): Cell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string': return typeof value === 'string' ? value : JSON.stringify(value);
    case 'integer': return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number': return typeof value === 'number' ? value : null;
    case 'boolean': return typeof value === 'boolean' ? value : null;
    case 'date': return typeof value === 'string' ? (Number.isNaN(Date.parse(value)) ? '<invalid>' : ageOf(value, now)) : null;
    default: return null;
  }
}

export function customPrinter(columns: readonly CustomColumn[]): Printer {
  return {
    columns: [NAME, ...columns.map((c) => ({
      name: c.name, type: c.type, format: c.format ?? '', priority: c.priority ?? 0,
      description: c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    }))],
    cells: (o: JsonMap, now: number) => [str(obj(o.metadata).name), ...columns.map((c) => cell(c.type, evaluatePath(o, c.jsonPath), now))],
  };
}
