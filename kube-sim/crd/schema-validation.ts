/** Checks a custom resource against its version's structural schema, naming each bad field the way the API server does. */
import { obj, type JsonMap } from '../json-fields.js';

export interface Cause { field: string; reason: string; message: string }

const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The OpenAPI type name of a JSON value, as kube-openapi reports what it found. */
function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function typeMatches(type: unknown, value: unknown): boolean {
  const found = typeOf(value);
  if (typeof type !== 'string' || type === '') return true;
  return found === type || (type === 'number' && found === 'integer');
}

// field.Error prints strings quoted and other values as Go would (%v of JSON-decoded data)
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'null');

function check(schema: JsonMap, value: unknown, path: string, causes: Cause[]): void {
  if ((value === null || value === undefined) && schema.nullable === true) return;
  if (!typeMatches(schema.type, value)) {
    const found = typeOf(value);
    causes.push({ field: path, reason: 'FieldValueTypeInvalid', message: `Invalid value: "${found}": ${path} in body must be of type ${String(schema.type)}: "${found}"` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    const supported = schema.enum.map((a) => JSON.stringify(typeof a === 'string' ? a : JSON.stringify(a))).join(', ');
    causes.push({ field: path, reason: 'FieldValueNotSupported', message: `Unsupported value: ${shown(value)}: supported values: ${supported}` });
  }
  if (Array.isArray(value)) {
    if (isMap(schema.items)) value.forEach((item, i) => check(obj(schema.items), item, `${path}[${i}]`, causes));
    return;
  }
  if (!isMap(value)) return;
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (typeof name === 'string' && value[name] === undefined) causes.push({ field: `${path}.${name}`, reason: 'FieldValueRequired', message: 'Required value' });
  }
  const properties = obj(schema.properties);
  for (const [key, child] of Object.entries(value)) {
    const sub = isMap(properties[key]) ? properties[key] : isMap(schema.additionalProperties) ? schema.additionalProperties : undefined;
    if (sub) check(sub, child, path ? `${path}.${key}` : key, causes);
  }
}

/** Every violation of `schema` in a custom resource; apiVersion, kind and metadata are the API server's own and not checked here. */
export function schemaCauses(schema: JsonMap, object: JsonMap): Cause[] {
  const causes: Cause[] = [];
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  const properties = obj(schema.properties);
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (typeof name === 'string' && !['apiVersion', 'kind', 'metadata'].includes(name) && rest[name] === undefined) causes.push({ field: name, reason: 'FieldValueRequired', message: 'Required value' });
  }
  for (const [key, child] of Object.entries(rest)) if (isMap(properties[key])) check(properties[key], child, key, causes);
  return causes;
}
