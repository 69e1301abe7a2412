/** The API server's admission checks kube-sim enforces on writes from clients: names and required fields, as 422 Invalid. */
import { KubeStatusError } from '../kube-status-error.js';
import type { ResourceInfo } from '../resource-table.js';
import { obj, type JsonMap } from '../json-fields.js';
import { schemaCauses } from '../crd/schema-validation.js';
import { definitionCauses } from '../crd/custom-resources.js';

type Json = JsonMap;

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

interface Cause { field: string; reason: string; message: string }

const required = (field: string): Cause => ({ field, reason: 'FieldValueRequired', message: 'Required value' });
const invalidValue = (field: string, value: unknown, why: string): Cause => ({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${why}` });

function containerCauses(spec: Json, prefix: string): Cause[] {
  const causes: Cause[] = [];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${prefix}.containers`)];
  containers.forEach((raw, i) => {
    const c = obj(raw);
    if (typeof c.name !== 'string' || c.name === '') causes.push(required(`${prefix}.containers[${i}].name`));
    else if (!LABEL.test(c.name)) causes.push(invalidValue(`${prefix}.containers[${i}].name`, c.name, LABEL_MESSAGE));
    if (typeof c.image !== 'string' || c.image === '') causes.push(required(`${prefix}.containers[${i}].image`));
  });
  return causes;
}

function selectorCauses(spec: Json): Cause[] {
  const selector = obj(spec.selector);
  const template = obj(spec.template);
  if (spec.selector === undefined) return [required('spec.selector')];
  const labels = obj(obj(template.metadata).labels);
  const matchLabels = obj(selector.matchLabels);
  const mismatch = Object.entries(matchLabels).some(([k, v]) => labels[k] !== v);
  const causes = containerCauses(obj(template.spec), 'spec.template.spec');
  if (mismatch) causes.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  return causes;
}

/** Throws 422 Invalid naming every bad field, in the API server's words. */
export function validateObject(info: ResourceInfo, o: Json): void {
  const meta = obj(o.metadata);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const causes: Cause[] = [];
  const nameRule = info.resource === 'namespaces' || info.resource === 'services' ? LABEL : SUBDOMAIN;
  if (name && !nameRule.test(name)) causes.push(invalidValue('metadata.name', name, nameRule === LABEL ? LABEL_MESSAGE : SUBDOMAIN_MESSAGE));
  if (name.length > 253) causes.push(invalidValue('metadata.name', name, 'must be no more than 253 characters'));
  const spec = obj(o.spec);
  if (info.resource === 'pods') causes.push(...containerCauses(spec, 'spec'));
  if (info.resource === 'deployments' || info.resource === 'replicasets' || info.resource === 'statefulsets' || info.resource === 'daemonsets') causes.push(...selectorCauses(spec));
  if (info.resource === 'jobs') {
    causes.push(...containerCauses(obj(obj(spec.template).spec), 'spec.template.spec'));
    const policy = obj(obj(spec.template).spec).restartPolicy;
    if (policy !== undefined && policy !== 'Never' && policy !== 'OnFailure') {
      causes.push({ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "OnFailure", "Never"` });
    }
  }
  if (info.resource === 'customresourcedefinitions' && info.group === 'apiextensions.k8s.io') causes.push(...definitionCauses(o));
  if (info.schema) causes.push(...schemaCauses(info.schema, o));
  else if (typeof spec.replicas === 'number' && spec.replicas < 0) causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  if (causes.length === 0) return;
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  // custom resources are named by group and kind (`Monitor.ganglion.dev`), as apiextensions-apiserver does
  const kind = info.key === info.resource ? info.kind : `${info.kind}.${info.group}`;
  const message = `${kind} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  throw new KubeStatusError(422, 'Invalid', message, { name, group: info.group, kind: info.kind, causes });
}
