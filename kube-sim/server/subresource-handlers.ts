/** The subresources that are not plain object views: /scale (GET, PUT), /log, /eviction and /binding. */
import { KubeStatusError } from '../kube-status-error.js';
import { queryFlag, queryInt, type ResourceRequest } from './api-context.js';
import { gracefulPod, notFound } from './object-handlers.js';
import { readObjectBody, readOptionalBody } from './request-body.js';
import { sendJson, sendText } from './respond.js';
import { fromScale, toScale } from './scale.js';
import { obj, type JsonMap } from '../json-fields.js';

type Json = JsonMap;

function current(r: ResourceRequest) {
  const { info, namespace, name = '' } = r.target;
  const found = r.ctx.store.peek(info.key, namespace, name);
  if (!found) throw notFound(info, name);
  return found;
}

export function getScale(r: ResourceRequest): void {
  sendJson(r.res, 200, toScale(current(r)));
}

export async function putScale(r: ResourceRequest): Promise<void> {
  const body = await readObjectBody(r.req);
  const next = fromScale(current(r), body);
  sendJson(r.res, 200, toScale(r.ctx.store.update(r.target.info.key, next)));
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
    ...optional('sinceSeconds', queryInt(r.url, 'sinceSeconds') ?? sinceTimeSeconds(r)),
    ...optional('limitBytes', queryInt(r.url, 'limitBytes')),
  };
  const text = r.ctx.logs ? r.ctx.logs.read(pod.metadata.namespace ?? 'default', name, opts) : '';
  if (queryFlag(r.url, 'follow') && r.ctx.logs) {
    followLog(r, pod.metadata.namespace ?? 'default', name, { container, previous: opts.previous, timestamps: opts.timestamps }, text);
    return;
  }
  sendText(r.res, 200, text);
}

const FOLLOW_POLL_MS = 200;

/** `follow=true`: sends what there is, then new output as it is written, until the pod ends or the client leaves. */
function followLog(r: ResourceRequest, namespace: string, pod: string, opts: { container: string; previous: boolean; timestamps: boolean }, first: string): void {
  const { res, ctx } = r;
  const logs = ctx.logs;
  if (!logs) return;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.write(first);
  ctx.streams.add(res);
  let seen = logs.read(namespace, pod, opts).length;
  const stop = () => {
    clearInterval(timer);
    ctx.streams.delete(res);
    if (!res.writableEnded) res.end();
  };
  const timer = setInterval(() => {
    const current = ctx.store.peek('pods', namespace, pod);
    const phase = current ? String(obj(current.status).phase ?? '') : '';
    let text: string;
    try {
      text = logs.read(namespace, pod, opts);
    } catch (err) {
      // the container went away (pod deleted, restarted into waiting): the stream ends, as kubectl logs -f does;
      // anything else ends it too, with the reason as its last line (a timer must not take the server down)
      if (!(err instanceof KubeStatusError)) res.write(`kube-sim: log stream ended: ${(err as Error).message}\n`);
      return stop();
    }
    // a restarted container starts a new log
    if (text.length < seen) seen = 0;
    if (text.length > seen) res.write(text.slice(seen));
    seen = text.length;
    if (!current || phase === 'Succeeded' || phase === 'Failed') stop();
  }, FOLLOW_POLL_MS);
  timer.unref();
  r.req.on('close', stop);
  res.on('close', stop);
}

/** `sinceTime` (RFC 3339, what `kubectl logs --since-time` sends) as seconds before now. */
function sinceTimeSeconds(r: ResourceRequest): number | undefined {
  const since = r.url.searchParams.get('sinceTime');
  if (!since) return undefined;
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw new KubeStatusError(400, 'BadRequest', `sinceTime "${since}" is not an RFC 3339 time`);
  return Math.max(0, Math.ceil((r.ctx.now() - t) / 1000));
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}

/** POST pods/<name>/eviction deletes the pod; POST pods/<name>/binding sets its node. */
export async function postPodAction(r: ResourceRequest): Promise<void> {
  const pod = current(r);
  const body = r.target.subresource === 'eviction' ? await readOptionalBody(r.req) : await readObjectBody(r.req);
  const ns = pod.metadata.namespace;
  if (r.target.subresource === 'eviction') {
    if (!gracefulPod(r, pod, {})) r.ctx.store.delete('pods', ns, pod.metadata.name);
    sendJson(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    return;
  }
  const node = String(obj(body.target).name ?? '');
  if (!node) throw new KubeStatusError(422, 'Invalid', 'Binding "" is invalid: target.name: Required value');
  r.ctx.store.mutate('pods', ns, pod.metadata.name, (p) => { p.spec = { ...obj(p.spec), nodeName: node }; });
  sendJson(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
