/** Writes a list (or its Table) with limit/continue paging, serialising the stored objects once, without copies. */
import { KubeStatusError } from '../kube-status-error.js';
import { apiVersionOf } from '../resource-table.js';
import { queryInt, type ResourceRequest } from './api-context.js';
import { sendJson, sendJsonText } from './respond.js';
import { listJson } from './json-cache.js';
import { toTable, wantsTable } from './tables.js';

function decodeContinue(token: string): { rv: string; after: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && 'rv' in value && 'after' in value && typeof value.rv === 'string' && typeof value.after === 'string') return { rv: value.rv, after: value.after };
  } catch (err) {
    throw new KubeStatusError(400, 'BadRequest', `continue key is not valid: ${(err as Error).message}`);
  }
  throw new KubeStatusError(400, 'BadRequest', 'continue key is not valid: malformed');
}

export function sendList(r: ResourceRequest): void {
  const { ctx, url, target } = r;
  const token = url.searchParams.get('continue');
  const limit = queryInt(url, 'limit');
  // each page starts where the last one ended (binary search), so reading a whole list in pages stays linear
  const { items: page, resourceVersion, last, remaining } = ctx.store.listPage(target.info.key, {
    ...(target.namespace ? { namespace: target.namespace } : {}),
    labelSelector: url.searchParams.get('labelSelector') ?? '',
    fieldSelector: url.searchParams.get('fieldSelector') ?? '',
  }, { ...(limit ? { limit } : {}), ...(token ? { after: decodeContinue(token).after } : {}) });
  const next = last === undefined ? '' : Buffer.from(JSON.stringify({ rv: resourceVersion, after: last })).toString('base64url');
  const metadata = { resourceVersion, ...(next ? { continue: next, ...(remaining !== undefined ? { remainingItemCount: remaining } : {}) } : {}) };
  if (wantsTable(r.req.headers.accept)) {
    const table = toTable(target.info, page, { now: ctx.now(), includeObject: url.searchParams.get('includeObject'), resourceVersion });
    sendJson(r.res, 200, { ...table, metadata });
    return;
  }
  sendJsonText(r.res, 200, listJson({ kind: `${target.info.kind}List`, apiVersion: apiVersionOf(target.info), metadata }, page));
}
