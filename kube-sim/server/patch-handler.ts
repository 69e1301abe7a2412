/** PATCH on an object or its status/scale: JSON patch, merge patch, strategic merge and server-side apply. */
import { KubeStatusError } from '../kube-status-error.js';
import { apiVersionOf } from '../resource-table.js';
import type { KubeObject, NewObject } from '../store.js';
import type { ResourceRequest } from './api-context.js';
import { applyJsonPatch, applyMergePatch } from './json-patch.js';
import { notFound, requireNamespace, sendObject } from './object-handlers.js';
import { readPatchBody, type PatchType } from './request-body.js';
import { fromScale, toScale } from './scale.js';
import { sendJson } from './respond.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { validateObject } from './validate.js';
import { withoutCreateStatus } from '../crd/custom-resources.js';
import { serverSideApply } from './server-side-apply.js';
import { obj } from '../json-fields.js';

const timestamp = (r: ResourceRequest) => new Date(r.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function applyPatch(type: PatchType, current: Json, patch: unknown): Json {
  let out: unknown;
  if (type === 'application/json-patch+json') out = applyJsonPatch(current, patch);
  else if (type === 'application/merge-patch+json') out = applyMergePatch(current, patch);
  else out = applyStrategicMergePatch(current, patch);
  if (!isObject(out)) throw new KubeStatusError(422, 'Invalid', 'the patch turned the object into something that is not an object');
  return out;
}

function asObject(patched: Json, current: KubeObject): KubeObject {
  const metadata = isObject(patched.metadata) ? patched.metadata : {};
  return { ...patched, apiVersion: current.apiVersion, kind: current.kind, metadata: { ...current.metadata, ...metadata, name: current.metadata.name } } as KubeObject;
}

const missingManager = () => new KubeStatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
  { kind: 'PatchOptions', group: 'meta.k8s.io', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] });

export async function handlePatch(r: ResourceRequest): Promise<void> {
  const { info, namespace, name = '', subresource } = r.target;
  const { type, patch } = await readPatchBody(r.req);
  const store = r.ctx.store;
  const current = store.peek(info.key, namespace, name);
  const dryRun = r.url.searchParams.get('dryRun') === 'All';

  if (!current) {
    if (type !== 'application/apply-patch+yaml' || subresource) throw notFound(info, name);
    if (!r.url.searchParams.get('fieldManager')) throw missingManager();
    requireNamespace(r, name);
    const applied = isObject(patch) ? patch : {};
    const meta = isObject(applied.metadata) ? applied.metadata : {};
    if (meta.namespace !== undefined && meta.namespace !== namespace) throw new KubeStatusError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    const owned = serverSideApply({}, applied, r.url.searchParams.get('fieldManager') ?? '', timestamp(r));
    const fresh = { ...withoutCreateStatus(info, owned), apiVersion: apiVersionOf(info), kind: info.kind, metadata: { ...obj(owned.metadata), name, ...(namespace ? { namespace } : {}) } };
    validateObject(info, fresh);
    const made = dryRun ? ({ ...fresh, metadata: { ...fresh.metadata, uid: '', resourceVersion: '', creationTimestamp: '' } } as KubeObject) : store.create(info.key, fresh as NewObject);
    sendObject(r, 201, made);
    return;
  }

  if (subresource === 'scale') {
    const scaled = applyPatch(type, toScale(current), patch);
    const next = fromScale(current, scaled);
    const saved = dryRun ? next : store.update(info.key, next);
    sendJson(r.res, 200, toScale(saved));
    return;
  }

  const manager = r.url.searchParams.get('fieldManager');
  if (type === 'application/apply-patch+yaml' && !manager) throw missingManager();
  const changed = type === 'application/apply-patch+yaml' && !subresource && isObject(patch)
    ? serverSideApply(current, patch, manager ?? '', timestamp(r))
    : applyPatch(type, current, patch);
  const patched = asObject(changed, current);
  if (patched.metadata.namespace !== current.metadata.namespace) {
    throw new KubeStatusError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
  validateObject(info, patched);
  if (dryRun) {
    sendObject(r, 200, patched);
    return;
  }
  const saved = store.update(info.key, patched, subresource === 'status' ? { subresource: 'status' } : {});
  sendObject(r, 200, saved);
}
