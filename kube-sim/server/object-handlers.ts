/** get, create, update (PUT), delete and deletecollection on one resource, with the API server's checks and answers. */
import { KubeStatusError } from '../kube-status-error.js';
import { apiVersionOf, qualifiedName, type ResourceInfo } from '../resource-table.js';
import type { KubeObject, NewObject, PropagationPolicy } from '../store.js';
import type { ResourceRequest } from './api-context.js';
import { readObjectBody, readOptionalBody } from './request-body.js';
import { sendJson } from './respond.js';
import { toTable, wantsTable } from './tables.js';
import { validateObject } from './validate.js';
import { withoutCreateStatus } from '../crd/custom-resources.js';

/** Sends one object, as a Table when kubectl asks for one. */
export function sendObject(r: ResourceRequest, code: number, o: KubeObject): void {
  if (wantsTable(r.req.headers.accept)) {
    sendJson(r.res, code, toTable(r.target.info, [o], { now: r.ctx.now(), includeObject: r.url.searchParams.get('includeObject'), resourceVersion: o.metadata.resourceVersion }));
  } else sendJson(r.res, code, o);
}

export function handleGet(r: ResourceRequest): void {
  const { target, ctx } = r;
  const found = ctx.store.peek(target.info.key, target.namespace, target.name ?? '');
  if (!found) throw notFound(target.info, target.name ?? '');
  sendObject(r, 200, found);
}

export function notFound(info: ResourceInfo, name: string): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', `${qualifiedName(info)} "${name}" not found`, { name, group: info.group, kind: info.resource });
}

/** Checks the body's kind, apiVersion and namespace against the URL, as the API server does. */
function checkBody(r: ResourceRequest, body: Record<string, unknown>): Record<string, unknown> & { metadata: Record<string, unknown> } {
  const { info, namespace } = r.target;
  if (body.kind !== undefined && body.kind !== info.kind) {
    throw new KubeStatusError(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(info)})`);
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(info)) {
    throw new KubeStatusError(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(info)})`);
  }
  const metadata = body.metadata !== null && typeof body.metadata === 'object' && !Array.isArray(body.metadata) ? { ...(body.metadata as Record<string, unknown>) } : {};
  if (info.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== namespace) {
      throw new KubeStatusError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    metadata.namespace = namespace;
  }
  return { ...body, apiVersion: apiVersionOf(info), kind: info.kind, metadata };
}

export function requireNamespace(r: ResourceRequest, name = ''): void {
  const ns = r.target.namespace;
  if (!r.target.info.namespaced || !ns) return;
  const found = r.ctx.store.peek('namespaces', undefined, ns);
  if (!found) throw new KubeStatusError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
  if (found.metadata.deletionTimestamp) {
    throw new KubeStatusError(403, 'Forbidden', `${r.target.info.resource} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, { kind: r.target.info.resource });
  }
}

const dryRun = (r: ResourceRequest) => r.url.searchParams.get('dryRun') === 'All';

export async function handleCreate(r: ResourceRequest): Promise<void> {
  const body = checkBody(r, await readObjectBody(r.req));
  const meta = body.metadata;
  const info = r.target.info;
  if (typeof meta.name !== 'string' || meta.name === '') {
    if (typeof meta.generateName !== 'string' || meta.generateName === '') {
      throw new KubeStatusError(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, { kind: info.kind, causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] });
    }
  }
  requireNamespace(r, typeof meta.name === 'string' ? meta.name : '');
  validateObject(info, body);
  const fresh: NewObject = { ...withoutCreateStatus(info, body), apiVersion: apiVersionOf(info), kind: info.kind, metadata: { ...meta, name: typeof meta.name === 'string' ? meta.name : '', ...(typeof meta.generateName === 'string' ? { generateName: meta.generateName } : {}) } };
  if (dryRun(r)) {
    if (fresh.metadata.name && r.ctx.store.peek(info.key, r.target.namespace, fresh.metadata.name)) {
      throw new KubeStatusError(409, 'AlreadyExists', `${qualifiedName(info)} "${fresh.metadata.name}" already exists`, { name: fresh.metadata.name, group: info.group, kind: info.resource });
    }
    sendObject(r, 201, { ...fresh, metadata: { ...fresh.metadata, name: fresh.metadata.name || `${fresh.metadata.generateName ?? ''}dryrun`, uid: '', resourceVersion: '', creationTimestamp: new Date(r.ctx.now()).toISOString() } } as KubeObject);
    return;
  }
  sendObject(r, 201, r.ctx.store.create(info.key, fresh));
}

export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const body = checkBody(r, await readObjectBody(r.req));
  const { info, name } = r.target;
  if (body.metadata.name !== name) {
    throw new KubeStatusError(400, 'BadRequest', `the name of the object (${String(body.metadata.name)}) does not match the name on the URL (${name})`);
  }
  validateObject(info, body);
  const current = r.ctx.store.peek(info.key, r.target.namespace, name ?? '');
  if (!current) throw notFound(info, name ?? '');
  const next = { ...body, metadata: { ...current.metadata, ...body.metadata } } as KubeObject;
  if (dryRun(r)) {
    sendObject(r, 200, next);
    return;
  }
  const subresource = r.target.subresource === 'status' ? { subresource: 'status' as const } : {};
  sendObject(r, 200, r.ctx.store.update(info.key, next, subresource));
}

export interface DeleteOptions { propagationPolicy?: PropagationPolicy; gracePeriodSeconds?: number }

async function deleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const body = await readOptionalBody(r.req);
  let policy = r.url.searchParams.get('propagationPolicy') ?? undefined;
  const graceQuery = r.url.searchParams.get('gracePeriodSeconds');
  let grace = graceQuery !== null && graceQuery !== '' ? Number(graceQuery) : undefined;
  if (typeof body.propagationPolicy === 'string') policy = body.propagationPolicy;
  if (typeof body.gracePeriodSeconds === 'number') grace = body.gracePeriodSeconds;
  const graceOpt = grace !== undefined && Number.isFinite(grace) ? { gracePeriodSeconds: grace } : {};
  if (policy === undefined) {
    // batch/v1 Jobs orphan their pods unless asked otherwise, as the real API server does
    return r.target.info.resource === 'jobs' ? { propagationPolicy: 'Orphan', ...graceOpt } : graceOpt;
  }
  if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw new KubeStatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  return { propagationPolicy: policy, ...graceOpt };
}

/** A bound pod that is still running is only marked for deletion; the kubelet removes it once its containers stop. */
export function gracefulPod(r: ResourceRequest, pod: KubeObject, opts: DeleteOptions): KubeObject | undefined {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((pod.status ?? {}) as { phase?: string }).phase;
  const grace = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  if (!r.ctx.gracefulPodDeletion || !spec.nodeName || phase === 'Succeeded' || phase === 'Failed' || grace <= 0) return undefined;
  if (pod.metadata.deletionTimestamp) return pod;
  return r.ctx.store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => {
    o.metadata.deletionTimestamp = new Date(r.ctx.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    o.metadata.deletionGracePeriodSeconds = grace;
  });
}

function deletedStatus(info: ResourceInfo, o: KubeObject) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: o.metadata.name, group: info.group, kind: info.resource, uid: o.metadata.uid } };
}

export async function handleDelete(r: ResourceRequest): Promise<void> {
  const { info, namespace, name } = r.target;
  const opts = await deleteOptions(r);
  const current = r.ctx.store.peek(info.key, namespace, name ?? '');
  if (!current) throw notFound(info, name ?? '');
  const graceful = info.resource === 'pods' && !dryRun(r) ? gracefulPod(r, current, opts) : undefined;
  const gone = graceful ?? (dryRun(r) ? current : r.ctx.store.delete(info.key, namespace, name ?? '', opts));
  // pods answer with the object (graceful deletion); other resources with a Success Status
  if (info.resource === 'pods' || gone.metadata.deletionTimestamp) {
    sendJson(r.res, 200, { ...gone, metadata: { ...gone.metadata, deletionTimestamp: gone.metadata.deletionTimestamp ?? new Date(r.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), deletionGracePeriodSeconds: 0 } });
  } else sendJson(r.res, 200, deletedStatus(info, gone));
}

export async function handleDeleteCollection(r: ResourceRequest): Promise<void> {
  const { info, namespace } = r.target;
  const opts = await deleteOptions(r);
  const { items } = r.ctx.store.list(info.key, {
    ...(namespace ? { namespace } : {}),
    labelSelector: r.url.searchParams.get('labelSelector') ?? '',
    fieldSelector: r.url.searchParams.get('fieldSelector') ?? '',
  });
  const deleted: KubeObject[] = [];
  for (const o of items) {
    if (!r.ctx.store.peek(info.key, o.metadata.namespace, o.metadata.name)) continue;
    deleted.push(dryRun(r) ? o : r.ctx.store.delete(info.key, o.metadata.namespace, o.metadata.name, opts));
  }
  sendJson(r.res, 200, { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: r.ctx.store.resourceVersion() }, items: deleted });
}
