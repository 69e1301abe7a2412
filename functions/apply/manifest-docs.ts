/** A manifest as text (YAML documents, JSON, or a List) → the objects in it, each with the basic fields checked. */
import { parseAllDocuments } from 'yaml';
import { GanglionError } from '../../kernel/errors.js';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
  [field: string]: unknown;
}

/** More objects than a person reads in one approval. */
export const MAX_OBJECTS = 20;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const bad = (message: string) => new GanglionError(400, 'invalid_manifest', `${message}; nothing was changed`);

function checked(raw: unknown, where: string): ManifestObject {
  if (!isMap(raw)) throw bad(`${where} is not an object (a manifest holds objects with apiVersion, kind and metadata.name)`);
  if (typeof raw.apiVersion !== 'string' || !raw.apiVersion) throw bad(`${where} has no apiVersion (e.g. "v1" or "apps/v1")`);
  if (typeof raw.kind !== 'string' || !raw.kind) throw bad(`${where} has no kind`);
  const meta = raw.metadata;
  if (!isMap(meta) || typeof meta.name !== 'string' || !meta.name) throw bad(`${where} (${raw.kind}) has no metadata.name`);
  if (meta.namespace !== undefined && typeof meta.namespace !== 'string') throw bad(`${where} (${raw.kind} ${meta.name}): metadata.namespace must be a string`);
  if ('generateName' in meta) throw bad(`${where} (${raw.kind} ${meta.name}): generateName is not applied (server-side apply needs a fixed name)`);
  return raw as ManifestObject;
}

export function parseManifest(text: string): ManifestObject[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: ManifestObject[] = [];
  list.forEach((doc, i) => {
    const where = list.length > 1 ? `document ${i + 1}` : 'the manifest';
    if (doc.errors.length) throw bad(`${where} is not valid YAML or JSON: ${doc.errors[0]?.message.split('\n')[0] ?? 'parse error'}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (isMap(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, j) => objects.push(checked(item, `${where}, item ${j + 1}`)));
    } else objects.push(checked(value, where));
  });
  if (!objects.length) throw bad('the manifest holds no object');
  if (objects.length > MAX_OBJECTS) throw bad(`the manifest holds ${objects.length} objects; apply at most ${MAX_OBJECTS} at a time`);
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw bad(`${o.kind} ${o.metadata.name} appears twice in the manifest`);
    seen.add(id);
  }
  return objects;
}
