/**
 * apply: a manifest → server-side apply of each object (PATCH application/apply-patch+yaml, fieldManager ganglion).
 * Everything that can be refused is refused before the preview: bad YAML, Secrets, kinds the server does not serve
 * or apply does not handle, protected namespaces, wrong field types. The preview is the server's own dry run; the
 * approved apply carries the preview's pin and is refused if an object changed since.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import type { Change } from '../../events/change.js';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import { KubeHttpError, requestText } from '../../cluster/get-json.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { apiVersionOf, objectPath, refuseProtectedNamespace, refuseSecret, type KindRoute } from '../../cluster/kind-routes.js';
import { servedKinds } from '../../cluster/served-kinds.js';
import { parseManifest, type ManifestObject } from './manifest-docs.js';
import { checkFieldTypes } from './field-types.js';
import { createdChanges, updatedChanges } from './object-diff.js';
import { APPLY_KINDS } from './kinds.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Json = Record<string, unknown>;

interface Target { route: KindRoute; body: ManifestObject; name: string; namespace?: string; id: string }

function targetOf(o: ManifestObject, namespaced: boolean, defaultNamespace: string | undefined): Target {
  const route = APPLY_KINDS.find((r) => apiVersionOf(r) === o.apiVersion && r.kind === o.kind);
  if (!route) {
    throw new GanglionError(400, 'kind_not_supported', `apply can't create or change ${o.kind} (${o.apiVersion}) yet; it applies ${APPLY_KINDS.map(apiVersionOf).map((v, i) => `${APPLY_KINDS[i]?.kind} (${v})`).join(', ')}; nothing was changed`);
  }
  const name = o.metadata.name;
  const namespace = namespaced ? (o.metadata.namespace ?? defaultNamespace ?? 'default') : undefined;
  refuseProtectedNamespace(namespace ?? (o.kind === 'Namespace' ? name : undefined), `apply ${o.kind} ${name}`);
  const body = { ...o, metadata: { ...o.metadata, ...(namespace ? { namespace } : {}) } };
  return { route, body, name, ...(namespace ? { namespace } : {}), id: `${o.kind.toLowerCase()}/${name}${namespace ? ` (${namespace})` : ''}` };
}

async function current(c: KubeClients, t: Target): Promise<Json | undefined> {
  try {
    return JSON.parse(await requestText(c, 'GET', objectPath(t.route, t.namespace, t.name))) as Json;
  } catch (err) {
    if (err instanceof KubeHttpError && err.code === 404) return undefined;
    throw err;
  }
}

function serverApply(c: KubeClients, t: Target, dryRun: boolean): Promise<Json> {
  const what = `${dryRun ? 'dry-run apply' : 'apply'} ${t.id}`;
  return kubeCall(what, async (signal) => JSON.parse(await requestText(c, 'PATCH', objectPath(t.route, t.namespace, t.name), {
    // force: the person approved these exact fields, so they are taken over from another manager, as kubectl apply --server-side --force-conflicts does
    query: { fieldManager: 'ganglion', force: 'true', dryRun: dryRun ? 'All' : undefined },
    body: t.body, contentType: 'application/apply-patch+yaml', signal,
  })) as Json, { server: c.server });
}

/** The pin of a preview: each object's resourceVersion as read (or its absence). */
function pinOf(targets: Target[], before: (Json | undefined)[]): string {
  const h = createHash('sha256').update('ganglion apply v1\n');
  targets.forEach((t, i) => h.update(`${t.id}@${String((before[i]?.metadata as Json | undefined)?.resourceVersion ?? 'absent')}\n`));
  return `apply:${h.digest('hex').slice(0, 32)}`;
}

const verbOf = (cs: Change[]) => (cs[0]?.after === 'created' ? 'create' : cs[0]?.before === 'unchanged' ? 'unchanged' : 'change');

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  const objects = parseManifest(inp.manifest);
  for (const o of objects) refuseSecret(o.kind, `apply ${o.kind} ${o.metadata.name}`);
  const c = await ctx.kube.clients(inp.cluster);
  const served = await servedKinds(c, objects);
  const targets = objects.map((o, i) => targetOf(o, served[i]?.namespaced ?? true, inp.namespace || undefined));
  await checkFieldTypes(targets.map((t) => t.body));
  // Namespaces first, so the objects in a namespace this manifest creates have somewhere to go.
  targets.sort((a, b) => Number(b.route.kind === 'Namespace') - Number(a.route.kind === 'Namespace'));
  const before = await Promise.all(targets.map((t) => kubeCall(`read ${t.id}`, () => current(c, t), { server: c.server })));
  const diffHash = pinOf(targets, before);
  const newNamespaces = new Set(targets.filter((t, i) => t.route.kind === 'Namespace' && !before[i]).map((t) => t.name));
  const ref = (t: Target) => ({ kind: t.route.kind, name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}), ...(inp.cluster ? { cluster: inp.cluster } : {}) });

  if (inp.dryRun) {
    const changes: Change[][] = [];
    const unchecked: string[] = [];
    for (const [i, t] of targets.entries()) {
      // the API server refuses even a dry run in a namespace that does not exist yet: such an object is checked against its schema only
      if (t.namespace && newNamespaces.has(t.namespace)) { unchecked.push(t.id); changes.push(createdChanges(ref(t), t.body)); continue; }
      const after = await serverApply(c, t, true);
      const was = before[i];
      changes.push(was ? updatedChanges(ref(t), was, after) : createdChanges(ref(t), t.body));
    }
    const lines = targets.map((t, i) => `- ${verbOf(changes[i] ?? [])} ${t.id}${verbOf(changes[i] ?? []) === 'change' ? `: ${(changes[i] ?? []).map((x) => x.field).join(', ')}` : ''}`);
    const moving = changes.filter((cs) => verbOf(cs) !== 'unchanged').length;
    const head = moving ? `would apply ${moving} of ${targets.length} object${targets.length === 1 ? '' : 's'} (server-side apply, dry run):` : `all ${targets.length} object${targets.length === 1 ? ' is' : 's are'} already as the manifest says; nothing would change:`;
    const note = unchecked.length ? [`(${unchecked.join(', ')}: checked against the schema; the API server checks them once their namespace exists)`] : [];
    return { summary: [head, ...lines, ...note].join('\n'), subject: targets[0]?.id, data: { dryRun: true, diffHash, changes: changes.flat() } };
  }

  if (!inp.diffHash) throw new GanglionError(400, 'diff_not_pinned', 'an approved apply needs the diffHash of the dry run it applies (the planner carries it from the preview); run the dry run and approve that diff');
  if (inp.diffHash !== diffHash) {
    throw new GanglionError(409, 'objects_changed', 'an object of the manifest changed since the approved preview; nothing was applied; run the dry run again and approve the new diff');
  }
  const done: string[] = [];
  const changes: Change[] = [];
  for (const [i, t] of targets.entries()) {
    try {
      const after = await serverApply(c, t, false);
      const was = before[i];
      changes.push(...(was ? updatedChanges(ref(t), was, after) : createdChanges(ref(t), t.body)));
      done.push(t.id);
    } catch (err) {
      const failed = toPublicError(err);
      const status = failed.status >= 400 && failed.status < 600 ? failed.status : 500;
      const kept = done.length ? `${done.join(', ')} ${done.length === 1 ? 'was' : 'were'} applied and stay${done.length === 1 ? 's' : ''}; ` : 'nothing was applied; ';
      throw new GanglionError(status, 'apply_failed', `applying ${t.id} failed (${failed.message}); ${kept}fix the manifest and apply again`, { cause: err, details: { changes } });
    }
  }
  return { summary: `applied ${done.join(', ')}`, subject: targets[0]?.id, data: { dryRun: false, diffHash, changes } };
}
