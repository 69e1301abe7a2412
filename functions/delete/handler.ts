/**
 * delete: lists exactly what the names or selectors match, previews that list, and once approved deletes exactly
 * those objects (each by uid, so a newer object of the same name is never hit); the preview's pin is checked first.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import type { Change } from '../../events/change.js';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import { requestText } from '../../cluster/get-json.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { closestNames } from '../../cluster/closest-names.js';
import { isProtectedNamespace, objectPath, refuseProtectedNamespace, refuseSecret, routeNamed, type KindRoute } from '../../cluster/kind-routes.js';
import { DELETE_KINDS } from './kinds.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;
interface Found { name: string; namespace: string; uid: string; phase?: string }
interface ListBody { items?: { metadata?: { name?: string; namespace?: string; uid?: string }; status?: { phase?: string } }[] }

function routeOf(kind: string): KindRoute {
  refuseSecret(kind, `delete ${kind}`);
  const route = routeNamed(DELETE_KINDS, kind);
  if (!route) throw new GanglionError(400, 'kind_not_supported', `delete can't remove ${kind} yet; it deletes ${DELETE_KINDS.map((k) => k.kind).join(', ')}; nothing was changed`);
  return route;
}

const selectorText = (inp: Input) => [inp.labelSelector, inp.fieldSelector].filter(Boolean).join(',');

async function matching(inp: Input, route: KindRoute, ctx: FunctionContext): Promise<{ found: Found[]; skipped: number }> {
  const c = await ctx.kube.clients(inp.cluster);
  const namespace = inp.namespace || (inp.names.length ? 'default' : undefined);
  if (namespace) refuseProtectedNamespace(namespace, `delete ${route.resource}`);
  const query = { labelSelector: inp.labelSelector, fieldSelector: inp.fieldSelector };
  const list = await kubeCall(`list ${route.resource}${namespace ? ` in ${namespace}` : ''}`, async (signal) => JSON.parse(await requestText(c, 'GET', objectPath(route, namespace), { query, signal })) as ListBody, { server: c.server });
  const all = (list.items ?? []).map((o): Found => ({ name: o.metadata?.name ?? '', namespace: o.metadata?.namespace ?? '', uid: o.metadata?.uid ?? '', ...(o.status?.phase ? { phase: o.status.phase } : {}) }));
  if (inp.names.length) {
    const missing = inp.names.filter((n) => !all.some((o) => o.name === n));
    if (missing.length) {
      const near = closestNames(missing[0] ?? '', all.map((o) => o.name));
      throw new GanglionError(404, 'not_found', `no ${route.kind} ${missing.join(', ')} in namespace ${namespace}${near.length ? `; closest: ${near.join(', ')}` : ''}; nothing was deleted`);
    }
    return { found: all.filter((o) => inp.names.includes(o.name)), skipped: 0 };
  }
  const kept = all.filter((o) => !isProtectedNamespace(o.namespace));
  return { found: kept, skipped: all.length - kept.length };
}

function pinOf(found: Found[]): string {
  const h = createHash('sha256').update('ganglion delete v1\n');
  for (const o of [...found].sort((a, b) => a.uid.localeCompare(b.uid))) h.update(`${o.namespace}/${o.name}@${o.uid}\n`);
  return `delete:${h.digest('hex').slice(0, 32)}`;
}

/** The list a person approves: at most 50 lines, and the count beyond. */
function listing(route: KindRoute, found: Found[]): string[] {
  const lines = found.slice(0, 50).map((o) => `- ${route.kind.toLowerCase()}/${o.name} (${o.namespace}${o.phase ? `, ${o.phase}` : ''})`);
  return found.length > 50 ? [...lines, `- … and ${found.length - 50} more`] : lines;
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const route = routeOf(inp.kind);
  const { found, skipped } = await matching(inp, route, ctx);
  const diffHash = pinOf(found);
  const where = inp.namespace ? `namespace ${inp.namespace}` : 'any namespace';
  const what = inp.names.length ? `${route.kind} ${inp.names.join(', ')}` : `${route.resource} matching ${selectorText(inp)}`;
  const skippedNote = skipped ? ` (${skipped} in the cluster's or Ganglion's own namespaces left out)` : '';
  const change = (o: Found): Change => ({ object: `${route.kind.toLowerCase()}/${o.name}`, namespace: o.namespace, ...(inp.cluster ? { cluster: inp.cluster } : {}), field: 'object', before: o.phase ?? 'present', after: null });
  if (!found.length) {
    // one unchanged marker, so the run ends here: there is nothing to approve
    const none: Change = { object: route.resource, field: 'matches', before: 'none', after: 'none' };
    return { summary: `no ${route.resource} match ${selectorText(inp)} in ${where}${skippedNote}; nothing to delete, nothing was changed`, data: { dryRun: inp.dryRun, diffHash, changes: [none], deleted: [] } };
  }
  if (inp.dryRun) {
    return { summary: [`would delete ${found.length} ${found.length === 1 ? route.kind.toLowerCase() : route.resource} (${what}, ${where})${skippedNote}:`, ...listing(route, found)].join('\n'), data: { dryRun: true, diffHash, changes: found.map(change) } };
  }
  if (!inp.diffHash) throw new GanglionError(400, 'diff_not_pinned', 'an approved delete needs the diffHash of the dry run it carries out (the planner carries it from the preview); run the dry run and approve that list');
  if (inp.diffHash !== diffHash) throw new GanglionError(409, 'matches_changed', `what ${what} matches changed since the approved preview; nothing was deleted; run the dry run again and approve the new list`);
  const c = await ctx.kube.clients(inp.cluster);
  const done: Found[] = [];
  for (const o of found) {
    try {
      await kubeCall(`delete ${route.kind.toLowerCase()}/${o.name} (${o.namespace})`, (signal) => requestText(c, 'DELETE', objectPath(route, o.namespace, o.name), { body: { preconditions: { uid: o.uid } }, signal }), { server: c.server });
      done.push(o);
    } catch (err) {
      const failed = toPublicError(err);
      throw new GanglionError(failed.status >= 400 && failed.status < 600 ? failed.status : 500, 'delete_failed', `deleting ${route.kind.toLowerCase()}/${o.name} (${o.namespace}) failed (${failed.message}); ${done.length} of ${found.length} were deleted before it`, { cause: err, details: { changes: done.map(change) } });
    }
  }
  return { summary: [`deleted ${done.length} ${done.length === 1 ? route.kind.toLowerCase() : route.resource}:`, ...listing(route, done)].join('\n'), data: { dryRun: false, diffHash, changes: done.map(change), deleted: done.map((o) => `${o.namespace}/${o.name}`) } };
}
