/** The subresources that are not plain object views: /scale (GET, PUT), /log, /eviction and /binding. */
import { KubeStatusError } from '../kube-status-error.js';
import { queryFlag, queryInt, type ResourceRequest } from './api-context.js';
import { notFound } from './object-handlers.js';
import { readObjectBody } from './request-body.js';
import { sendJson, sendText } from './respond.js';
import { fromScale, toScale } from './scale.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function current(r: ResourceRequest) {
  const { info, namespace, name = '' } = r.target;
  const found = r.ctx.store.peek(info.resource, namespace, name);
  if (!found) throw notFound(info, name);
  return found;
}

export function getScale(r: ResourceRequest): void {
  sendJson(r.res, 200, toScale(current(r)));
}

export async function putScale(r: ResourceRequest): Promise<void> {
  const body = await readObjectBody(r.req);
  const next = fromScale(current(r), body);
  sendJson(r.res, 200, toScale(r.ctx.store.update(r.target.info.resource, next)));
}

/** GET pods/<name>/log: checks the pod and container the way the API server does, then asks the log source. */
export function getLog(r: ResourceRequest): void {
  const pod = current(r);
  const containers = (Array.isArray(obj(pod.spec).containers) ? (obj(pod.spec).containers as unknown[]) : []).map((c) => String(obj(c).name));
  const initContainers = (Array.isArray(obj(pod.spec).initContainers) ? (obj(pod.spec).initContainers as unknown[]) : []).map((c) => String(obj(c).name));
  let container = r.url.searchParams.get('container') ?? '';
  const name = pod.metadata.name;
  if (!container) {
    if (containers.length !== 1) {
      throw new KubeStatusError(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initContainers.length ? ` or one of the init containers: [${initContainers.join(' ')}]` : ''}`);
    }
    container = containers[0];
  } else if (!containers.includes(container) && !initContainers.includes(container)) {
    throw new KubeStatusError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
  }
  const opts = {
    container,
    previous: queryFlag(r.url, 'previous'),
    timestamps: queryFlag(r.url, 'timestamps'),
    ...optional('tailLines', queryInt(r.url, 'tailLines')),
    ...optional('sinceSeconds', queryInt(r.url, 'sinceSeconds')),
    ...optional('limitBytes', queryInt(r.url, 'limitBytes')),
  };
  const text = r.ctx.logs ? r.ctx.logs.read(pod.metadata.namespace ?? 'default', name, opts) : '';
  sendText(r.res, 200, text);
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}

/** POST pods/<name>/eviction deletes the pod; POST pods/<name>/binding sets its node. */
export async function postPodAction(r: ResourceRequest): Promise<void> {
  const pod = current(r);
  const body = await readObjectBody(r.req);
  const ns = pod.metadata.namespace;
  if (r.target.subresource === 'eviction') {
    r.ctx.store.delete('pods', ns, pod.metadata.name);
    sendJson(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    return;
  }
  const node = String(obj(body.target).name ?? '');
  if (!node) throw new KubeStatusError(422, 'Invalid', 'Binding "" is invalid: target.name: Required value');
  r.ctx.store.mutate('pods', ns, pod.metadata.name, (p) => { p.spec = { ...obj(p.spec), nodeName: node }; });
  sendJson(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
