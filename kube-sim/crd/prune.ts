/** Drops the fields a structural schema does not declare, as the API server prunes custom resources before storing them. */
import { obj, type JsonMap } from '../json-fields.js';

const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);
// apiVersion, kind and metadata are the API server's own and survive any schema
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function prune(schema: JsonMap, value: unknown, keep: ReadonlySet<string>): void {
  if (Array.isArray(value)) {
    if (isMap(schema.items)) for (const item of value) prune(schema.items, item, new Set());
    return;
  }
  if (!isMap(value)) return;
  const properties = obj(schema.properties);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const [key, child] of Object.entries(value)) {
    if (keep.has(key) || (embedded && ROOT_FIELDS.has(key))) continue;
    if (isMap(properties[key])) prune(properties[key], child, new Set());
    else if (isMap(schema.additionalProperties)) prune(schema.additionalProperties, child, new Set());
    else if (schema.additionalProperties !== true && !preserve) delete value[key];
  }
}

/** Removes, in place, every field of a custom resource its version's `openAPIV3Schema` does not declare or preserve. */
export function pruneUnknownFields(schema: JsonMap, object: JsonMap): void {
  prune(schema, object, ROOT_FIELDS);
}
