/**
 * Checks a custom resource against its CRD's openAPIV3Schema the way the API server does with strict field
 * validation (kubectl's default): types, required, enum, properties, items, additionalProperties, anyOf, and
 * unknown fields rejected unless the schema says x-kubernetes-preserve-unknown-fields.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  items?: StructuralSchema;
  additionalProperties?: StructuralSchema | boolean;
  enum?: unknown[];
  anyOf?: StructuralSchema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

export interface CrdSchema {
  group: string;
  kind: string;
  version: string;
  schema: StructuralSchema;
}

interface CrdDocument {
  kind?: string;
  spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: StructuralSchema } }[] };
}

/** The served versions' schemas of every CustomResourceDefinition in a YAML file. */
export function readCrdSchemas(file: string): CrdSchema[] {
  const out: CrdSchema[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = doc.toJS() as CrdDocument | null;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    for (const v of crd.spec.versions) {
      if (v.served && v.schema) out.push({ group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, schema: v.schema.openAPIV3Schema });
    }
  }
  return out;
}

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(schema: StructuralSchema, value: unknown): boolean {
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!schema.type) return true;
  return actual === schema.type || (schema.type === 'number' && actual === 'integer');
}

/** Every way `value` breaks `schema`, each as `<path>: <what is wrong>`; [] when it conforms. */
export function schemaErrors(schema: StructuralSchema, value: unknown, at = ''): string[] {
  if (!typeMatches(schema, value)) return [`${at || '.'}: expected ${schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type}, got ${typeOf(value)}`];
  const errors: string[] = [];
  if (schema.enum && !schema.enum.some((e) => e === value)) errors.push(`${at || '.'}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  // int-or-string fields carry anyOf [integer, string]: the type check above already settled them
  if (schema.anyOf && !schema['x-kubernetes-int-or-string'] && !schema.anyOf.some((s) => schemaErrors(s, value, at).length === 0)) {
    errors.push(`${at || '.'}: matches none of anyOf`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => errors.push(...schemaErrors(schema.items as StructuralSchema, item, `${at}[${i}]`)));
  }
  if (typeOf(value) === 'object' && (schema.type === 'object' || schema.properties)) {
    const obj = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in obj)) errors.push(`${at}.${name}: required`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      // the API server itself defines these three on every object, whatever the CRD's schema lists
      if (!prop && at === '' && ROOT_FIELDS.has(key)) continue;
      if (prop) errors.push(...schemaErrors(prop, v, `${at}.${key}`));
      else if (typeof schema.additionalProperties === 'object') errors.push(...schemaErrors(schema.additionalProperties, v, `${at}.${key}`));
      else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) continue;
      // a schema with no properties at all (metadata in a CRD) is left to the API server's own types
      else if (schema.properties) errors.push(`${at}.${key}: unknown field`);
    }
  }
  return errors;
}
