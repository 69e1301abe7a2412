/** What a CustomResourceDefinition says: its checks, its defaults, and the resource versions it makes the server serve. */
import type { CustomColumn, ResourceInfo } from '../resource-table.js';
import { arr, obj, str, type JsonMap } from '../json-fields.js';

const RW = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const AGE: CustomColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

interface Cause { field: string; reason: string; message: string }

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function columnsOf(version: JsonMap): CustomColumn[] {
  const given = arr(version.additionalPrinterColumns).map((c) => ({
    name: str(c.name), type: str(c.type) || 'string', jsonPath: str(c.jsonPath),
    ...(typeof c.format === 'string' ? { format: c.format } : {}),
    ...(typeof c.priority === 'number' ? { priority: c.priority } : {}),
    ...(typeof c.description === 'string' ? { description: c.description } : {}),
  }));
  // without columns the server prints Name and Age
  return given.length ? given : [AGE];
}

/** The served versions of a CRD as resource table entries, all stored under the CRD's name. */
export function resourcesOf(crd: JsonMap): ResourceInfo[] {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const kind = str(names.kind);
  const plural = str(names.plural);
  return arr(spec.versions).filter((v) => v.served !== false).map((v) => {
    const schema = obj(obj(v.schema).openAPIV3Schema);
    return {
      resource: plural, key: `${plural}.${str(spec.group)}`, singular: str(names.singular) || kind.toLowerCase(),
      group: str(spec.group), version: str(v.name), kind, namespaced: spec.scope !== 'Cluster',
      shortNames: strings(names.shortNames), categories: strings(names.categories), verbs: RW,
      subresources: obj(v.subresources).status !== undefined ? ['status'] : [],
      printerColumns: columnsOf(v),
      ...(Object.keys(schema).length ? { schema } : {}),
    };
  });
}

const required = (field: string): Cause => ({ field, reason: 'FieldValueRequired', message: 'Required value' });

/** The API server's checks on a CRD that clients meet most: its name, names, scope and versions. */
export function definitionCauses(crd: JsonMap): Cause[] {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const causes: Cause[] = [];
  const name = str(obj(crd.metadata).name);
  if (!str(spec.group)) causes.push(required('spec.group'));
  if (!str(names.plural)) causes.push(required('spec.names.plural'));
  if (!str(names.kind)) causes.push(required('spec.names.kind'));
  if (name && name !== `${str(names.plural)}.${str(spec.group)}`) {
    causes.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: must be spec.names.plural+"."+spec.group` });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push({ field: 'spec.scope', reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(str(spec.scope))}: supported values: "Cluster", "Namespaced"` });
  }
  const versions = arr(spec.versions);
  if (versions.length === 0) causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: 'Invalid value: "null": must have exactly one version marked as storage version' });
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(JSON.stringify(versions))}: must have exactly one version marked as storage version` });
  }
  return causes;
}

/** Fills what the API server defaults on a CRD: singular and list kind, the conversion strategy. */
export function defaultDefinition(crd: JsonMap): void {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
  if (!names.listKind && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
  if (spec.conversion === undefined) spec.conversion = { strategy: 'None' };
}

/** A custom resource with a status subresource starts without status, whatever the create sent, as the API server does. */
export function withoutCreateStatus<T extends JsonMap>(info: ResourceInfo, body: T): T {
  if (info.key === info.resource || !info.subresources.includes('status') || body.status === undefined) return body;
  const { status: _s, ...rest } = body;
  return rest as T;
}
