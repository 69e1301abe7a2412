/** `?watch=true`: a chunked stream of `{type, object}` lines from a resourceVersion, with selectors and a timeout. */
import type { KubeObject, StoreEvent } from '../store.js';
import { queryInt, type ResourceRequest } from './api-context.js';
import { toStatusError } from './respond.js';
import { toTable, wantsTable } from './tables.js';
import { storedJson } from './json-cache.js';

const DEFAULT_TIMEOUT_SECONDS = 30 * 60;

export function startWatch(r: ResourceRequest): void {
  const { ctx, url, target, res, req } = r;
  const asTable = wantsTable(req.headers.accept);
  let columnsSent = false;
  const render = (o: KubeObject): unknown => {
    if (!asTable) return o;
    const table = toTable(target.info, [o], { now: ctx.now(), includeObject: url.searchParams.get('includeObject'), resourceVersion: o.metadata.resourceVersion, withColumns: !columnsSent });
    columnsSent = true;
    return table;
  };
  // headers are set, not written: a bad selector can still be answered with a plain 400 Status
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  ctx.streams.add(res);

  let stop: () => void = () => undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    stop();
    clearTimeout(timer);
    ctx.streams.delete(res);
    res.end();
  };
  const timer = setTimeout(close, (queryInt(url, 'timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
  timer.unref();
  req.on('close', close);
  res.on('close', close);

  const send = (ev: StoreEvent) => {
    if (closed) return;
    // shared stored objects serialise once however many watchers there are
    res.write(asTable ? `${JSON.stringify({ type: ev.type, object: render(ev.object) })}\n` : `{"type":"${ev.type}","object":${storedJson(ev.object)}}\n`);
  };
  const since = url.searchParams.get('resourceVersion') ?? '';
  try {
    stop = ctx.store.watch(target.info.key, {
      ...(target.namespace ? { namespace: target.namespace } : {}),
      labelSelector: url.searchParams.get('labelSelector') ?? '',
      fieldSelector: url.searchParams.get('fieldSelector') ?? '',
      ...(since ? { sinceResourceVersion: since } : {}),
      shared: true,
    }, send);
  } catch (err) {
    const status = toStatusError(err);
    if (status.code !== 410) {
      closed = true;
      clearTimeout(timer);
      ctx.streams.delete(res);
      throw err;
    }
    // a watch from a compacted resourceVersion gets an ERROR event on a 200 stream, as Kubernetes does
    res.write(`${JSON.stringify({ type: 'ERROR', object: status.toStatus() })}\n`);
    close();
    return;
  }
  res.flushHeaders();
  if (url.searchParams.get('allowWatchBookmarks') === 'true' && url.searchParams.get('sendInitialEvents') === 'true') {
    const bookmark = { kind: target.info.kind, apiVersion: target.info.group ? `${target.info.group}/${target.info.version}` : target.info.version,
      metadata: { resourceVersion: ctx.store.resourceVersion(), annotations: { 'k8s.io/initial-events-end': 'true' } } };
    res.write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
  }
}
