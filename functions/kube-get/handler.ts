/**
 * kube-get: resolves a kind through the API server's discovery, refuses Secrets and kinds outside its readable set
 * before any read, then answers the table `kubectl get` prints (server-side printing) or what `kubectl describe` tells,
 * bounded in lines and bytes.
 */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { collectionPath, qualifiedName, resolveResource, type ApiResource } from '../../cluster/api-discovery.js';
import { closestNames } from '../../cluster/closest-names.js';
import { getJson } from '../../cluster/get-json.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { readTable, renderTable, type KubeTable } from '../../cluster/kube-table.js';
import { capOutput } from '../../cluster/output-cap.js';
import { listEvents, requireNamespace } from '../../cluster/read-cluster.js';
import { describeObject } from './describe.js';
import { isReadable, READABLE, readableSummary } from './readable.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

/** Objects one list asks the API server for at most; more are reported, not read. */
const LIST_LIMIT = 500;
/** Objects described in one answer at most. */
const DESCRIBE_LIMIT = 10;
const SECRET_WORDS = /^secrets?(\.v1)?$/i;

export interface KubeGetData {
  cluster: string;
  resource: string;
  kind: string;
  namespace?: string;
  objects: { namespace?: string; name: string }[];
  /** More objects matched than were read (LIST_LIMIT, DESCRIBE_LIMIT). */
  more: boolean;
  text: string;
  trimmed: { lines: number; bytes: number };
}

export function secretsDenied(): GanglionError {
  return new GanglionError(403, 'secrets_denied', 'I can\'t show Secrets: Ganglion never reads Secrets, not even their names (no tool is granted them). List them with your own credentials: kubectl get secrets -n <namespace>.');
}

async function resolveReadable(c: KubeClients, kind: string): Promise<ApiResource> {
  if (SECRET_WORDS.test(kind)) throw secretsDenied();
  const r = await resolveResource(c, kind);
  if (r.group === '' && r.resource === 'secrets') throw secretsDenied();
  if (!isReadable(r.group, r.resource)) {
    throw new GanglionError(403, 'kind_not_readable', `I can't read ${qualifiedName(r)} yet: kube-get is granted only the kinds listed in functions/kube-get/readable.ts (${readableSummary()}); add it there and to its ClusterRole in k8s/10-rbac-functions.yaml`, { details: { resource: qualifiedName(r), readable: READABLE } });
  }
  return r;
}

/** A 404 for a named object, naming the closest objects of that kind. */
async function notFound(c: KubeClients, r: ApiResource, name: string, namespace: string | undefined): Promise<GanglionError> {
  const all = await readTable(c, collectionPath(r, namespace), { limit: String(LIST_LIMIT) }, `list ${qualifiedName(r)}`);
  const close = closestNames(name, all.rows.map((x) => x.name));
  const where = r.namespaced ? (namespace ? ` in namespace ${namespace}` : ' in any namespace') : '';
  return new GanglionError(404, 'not_found', `no ${r.kind} "${name}"${where} in cluster ${c.context}${close.length ? `; closest: ${close.join(', ')}` : ''}`, { details: { closest: close } });
}

function query(inp: Input, extraField?: string): Record<string, string | undefined> {
  const fields = [inp.fieldSelector, extraField].filter(Boolean).join(',');
  return { labelSelector: inp.labelSelector || undefined, fieldSelector: fields || undefined, limit: String(LIST_LIMIT) };
}

async function getTable(c: KubeClients, r: ApiResource, inp: Input, ns: string | undefined): Promise<KubeTable> {
  const what = `list ${qualifiedName(r)}${ns ? ` in namespace ${ns}` : ''}`;
  if (inp.name && (ns || !r.namespaced)) {
    try {
      return await readTable(c, `${collectionPath(r, ns)}/${encodeURIComponent(inp.name)}`, {}, `read ${r.kind} ${inp.name}`);
    } catch (err) {
      if (err instanceof GanglionError && err.status === 404) throw await notFound(c, r, inp.name, ns);
      throw err;
    }
  }
  // a name without a namespace: the objects of that name in every namespace
  const t = await readTable(c, collectionPath(r, ns), query(inp, inp.name ? `metadata.name=${inp.name}` : undefined), what);
  if (inp.name && !t.rows.length) throw await notFound(c, r, inp.name, ns);
  return t;
}

async function describeAll(c: KubeClients, r: ApiResource, inp: Input, ns: string | undefined, now: number): Promise<{ text: string; objects: KubeGetData['objects']; more: boolean }> {
  const table = await getTable(c, r, inp, ns);
  const picked = table.rows.slice(0, DESCRIBE_LIMIT);
  const parts = await Promise.all(picked.map(async (row) => {
    const path = `${collectionPath(r, row.namespace)}/${encodeURIComponent(row.name)}`;
    const o = await kubeCall(`read ${r.kind} ${row.name}`, (signal) => getJson<Record<string, unknown>>(c, path, {}, signal), { server: c.server });
    const about = `involvedObject.kind=${r.kind},involvedObject.name=${row.name}`;
    const events = await listEvents(c, row.namespace, about);
    return describeObject(r.kind, o, events, now);
  }));
  return { text: parts.join('\n\n'), objects: picked.map(({ namespace, name }) => ({ ...(namespace ? { namespace } : {}), name })), more: table.more || table.rows.length > picked.length };
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult<KubeGetData>> {
  const c = await ctx.kube.clients(inp.cluster);
  const r = await resolveReadable(c, inp.kind);
  const ns = r.namespaced ? inp.namespace || undefined : undefined;
  if (ns) await requireNamespace(c, ns);
  const where = r.namespaced ? (ns ? ` in namespace ${ns}` : ' in all namespaces') : '';
  const selectors = [inp.labelSelector && `labels ${inp.labelSelector}`, inp.fieldSelector && `fields ${inp.fieldSelector}`].filter(Boolean).join(', ');
  let body: string;
  let objects: KubeGetData['objects'];
  let more: boolean;
  if (inp.describe) {
    ({ text: body, objects, more } = await describeAll(c, r, inp, ns, ctx.now().getTime()));
  } else {
    const t = await getTable(c, r, inp, ns);
    objects = t.rows.map(({ namespace, name }) => ({ ...(namespace ? { namespace } : {}), name }));
    more = t.more;
    body = t.rows.length ? renderTable(t, { withNamespace: r.namespaced && !ns }) : `No ${r.resource} found${where}${selectors ? ` matching ${selectors}` : ''}.`;
  }
  const capped = capOutput(body, { narrow: 'narrow it with a namespace, a name, or a label or field selector' });
  const count = `${objects.length}${more ? '+' : ''}`;
  const head = `${inp.describe ? 'Describe' : 'Get'} ${qualifiedName(r)}${inp.name ? ` ${inp.name}` : ''}${where}${selectors ? ` (${selectors})` : ''}: ${count} object${objects.length === 1 ? '' : 's'}${more ? ` (more matched; ${inp.describe ? `at most ${DESCRIBE_LIMIT} are described` : `at most ${LIST_LIMIT} are listed`})` : ''}`;
  return {
    summary: `${head}\n${capped.text}`,
    subject: inp.name ? `${r.resource}/${inp.name}` : r.resource,
    data: {
      cluster: c.context, resource: qualifiedName(r), kind: r.kind, ...(ns ? { namespace: ns } : {}), objects, more,
      text: capped.text, trimmed: { lines: capped.droppedLines, bytes: capped.droppedBytes },
    },
  };
}
