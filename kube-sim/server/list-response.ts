/** Writes a list (or its Table) with limit/continue paging, serialising the stored objects once, without copies. */
import { KubeStatusError } from '../kube-status-error.js';
import { apiVersionOf } from '../resource-table.js';
import type { KubeObject } from '../store.js';
import { queryInt, type ResourceRequest } from './api-context.js';
import { sendJson, sendJsonText } from './respond.js';
import { listJson } from './json-cache.js';
import { toTable, wantsTable } from './tables.js';

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function decodeContinue(token: string): { rv: string; after: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && 'rv' in value && 'after' in value && typeof value.rv === 'string' && typeof value.after === 'string') return { rv: value.rv, after: value.after };
  } catch (err) {
    throw new KubeStatusError(400, 'BadRequest', `continue key is not valid: ${(err as Error).message}`);
  }
  throw new KubeStatusError(400, 'BadRequest', 'continue key is not valid: malformed');
}

/** One page of items in key order, and the continue token for the next page (empty when done). */
export function pageOf(items: readonly KubeObject[], limit: number | undefined, token: string | null, rv: string): { page: readonly KubeObject[]; next: string; remaining?: number } {
  let start = 0;
  if (token) {
    const { after } = decodeContinue(token);
    start = items.findIndex((o) => keyOf(o) > after);
    if (start < 0) start = items.length;
  }
  if (!limit || start + limit >= items.length) return { page: start === 0 ? items : items.slice(start), next: '' };
  const page = items.slice(start, start + limit);
  const next = Buffer.from(JSON.stringify({ rv, after: keyOf(page[page.length - 1]) })).toString('base64url');
  return { page, next, remaining: items.length - start - limit };
}

export function sendList(r: ResourceRequest): void {
  const { ctx, url, target } = r;
  const { items, resourceVersion } = ctx.store.listShared(target.info.resource, {
    ...(target.namespace ? { namespace: target.namespace } : {}),
    labelSelector: url.searchParams.get('labelSelector') ?? '',
    fieldSelector: url.searchParams.get('fieldSelector') ?? '',
  });
  const { page, next, remaining } = pageOf(items, queryInt(url, 'limit'), url.searchParams.get('continue'), resourceVersion);
  const metadata = { resourceVersion, ...(next ? { continue: next, remainingItemCount: remaining } : {}) };
  if (wantsTable(r.req.headers.accept)) {
    const table = toTable(target.info.resource, page, { now: ctx.now(), includeObject: url.searchParams.get('includeObject'), resourceVersion });
    sendJson(r.res, 200, { ...table, metadata });
    return;
  }
  sendJsonText(r.res, 200, listJson({ kind: `${target.info.kind}List`, apiVersion: apiVersionOf(target.info), metadata }, page));
}
