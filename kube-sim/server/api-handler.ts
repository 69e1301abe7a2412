/** kube-sim's request handler: bearer-token check, discovery paths, then the resource verbs by method. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeStatusError } from '../kube-status-error.js';
import { queryFlag, type ApiContext, type ResourceRequest } from './api-context.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiV3Document, openApiV3Root, SERVER_VERSION } from './discovery.js';
import { sendList } from './list-response.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleGet, handleUpdate } from './object-handlers.js';
import { handlePatch } from './patch-handler.js';
import { parseTarget } from './request-target.js';
import { handleReview } from './review-handler.js';
import { handleMetrics } from './metrics-handler.js';
import { REVIEW_RESOURCES } from '../resource-table.js';
import type { ResourceRegistry } from '../resource-registry.js';
import { sendError, sendJson, sendText } from './respond.js';
import { getLog, getScale, postPodAction, putScale } from './subresource-handlers.js';
import { startWatch } from './watch-stream.js';

const OPEN_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);
const notFound = () => new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');

function authorised(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const header = req.headers.authorization ?? '';
  // kubectl (client-go) never sends credentials over plain HTTP, so a request without any is served like the
  // old insecure port did; a request WITH wrong credentials is refused
  if (header === '') return true;
  const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
  const wanted = Buffer.from(token);
  return /^Bearer\s+/i.test(header) && given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Discovery and health answers, or false when the path is not one of them. */
function serveDiscovery(pathname: string, res: ServerResponse, registry: ResourceRegistry): boolean {
  const parts = pathname.split('/').filter(Boolean);
  if (pathname === '/version') sendJson(res, 200, SERVER_VERSION);
  else if (OPEN_PATHS.has(pathname)) sendText(res, 200, 'ok');
  else if (pathname === '/api') sendJson(res, 200, apiVersions());
  else if (pathname === '/apis') sendJson(res, 200, apiGroupList(registry));
  else if (parts[0] === 'api' && parts.length === 2) sendJson(res, 200, apiResourceList(registry, '', parts[1]) ?? thrown());
  else if (parts[0] === 'apis' && parts.length === 2) sendJson(res, 200, apiGroup(registry, parts[1]) ?? thrown());
  else if (parts[0] === 'apis' && parts.length === 3) sendJson(res, 200, apiResourceList(registry, parts[1], parts[2]) ?? thrown());
  else if (pathname === '/openapi/v3') sendJson(res, 200, openApiV3Root(registry));
  else if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'api' && parts.length === 4) sendJson(res, 200, openApiV3Document(registry, '', parts[3]) ?? thrown());
  else if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'apis' && parts.length === 5) sendJson(res, 200, openApiV3Document(registry, parts[3], parts[4]) ?? thrown());
  else return false;
  return true;
}

function thrown(): never {
  throw notFound();
}

const methodNotAllowed = (method: string) => new KubeStatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);

async function serveResource(r: ResourceRequest): Promise<void> {
  const { target, req, url } = r;
  const method = req.method ?? 'GET';
  const sub = target.subresource;
  if (target.info.group === 'metrics.k8s.io') {
    if (method !== 'GET') throw methodNotAllowed(method);
    return handleMetrics(r);
  }
  if (REVIEW_RESOURCES.has(target.info.resource)) {
    if (method !== 'POST' || target.name) throw methodNotAllowed(method);
    return handleReview(r);
  }
  if (!target.name) {
    if (method === 'GET') return queryFlag(url, 'watch') ? startWatch(r) : sendList(r);
    if (method === 'POST') return handleCreate(r);
    if (method === 'DELETE') return handleDeleteCollection(r);
    throw methodNotAllowed(method);
  }
  if (sub === 'log') {
    if (method !== 'GET') throw methodNotAllowed(method);
    return getLog(r);
  }
  if (sub === 'scale') {
    if (method === 'GET') return getScale(r);
    if (method === 'PUT') return putScale(r);
    if (method === 'PATCH') return handlePatch(r);
    throw methodNotAllowed(method);
  }
  if (sub === 'eviction' || sub === 'binding') {
    if (method !== 'POST') throw methodNotAllowed(method);
    return postPodAction(r);
  }
  if (sub === 'exec' || sub === 'attach' || sub === 'portforward' || sub === 'proxy') {
    throw new KubeStatusError(400, 'BadRequest', `kube-sim simulates containers and does not serve ${sub}; use kubectl logs and describe, or a real cluster`);
  }
  if (sub && sub !== 'status') throw notFound();
  switch (method) {
    case 'GET': return handleGet(r);
    case 'PUT': return handleUpdate(r);
    case 'PATCH': return handlePatch(r);
    case 'DELETE':
      if (sub) throw methodNotAllowed(method);
      return handleDelete(r);
    default: throw methodNotAllowed(method);
  }
}

/** The node:http request listener for a kube-sim API server. */
export function createApiHandler(ctx: ApiContext, { token }: { token?: string } = {}) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://kube-sim');
      if (!authorised(req, token)) throw new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
      if ((req.method === 'GET' || req.method === 'HEAD') && serveDiscovery(url.pathname, res, ctx.store.registry)) return;
      const target = parseTarget(url.pathname, ctx.store.registry);
      if (!target) throw notFound();
      await serveResource({ ctx, req, res, url, target });
    } catch (err) {
      sendError(res, err);
    }
  };
}
