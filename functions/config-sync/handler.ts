/**
 * config-sync: diff the source side's config against the target's, show it by key name only, then apply exactly the
 * diff that was approved (its pin recomputed; 409 if anything moved) and all of it or none.
 */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { approvalKey } from '../../host/approval-token.js';
import { diffHash, diffLines, planSync, type ConfigChange } from './config-diff.js';
import { namespaceMapper, readSide, resolveSide, type Side } from './config-sides.js';
import { applyAllOrNothing } from './config-apply.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export interface ConfigSyncData {
  from: { name: string; cluster: string; namespaces: string[] };
  to: { name: string; cluster: string; namespaces: string[] };
  dryRun: boolean;
  /** The pin of this diff: an approved apply carries it and is refused (409) when the recomputed diff has another. */
  diffHash: string;
  objects: { object: string; create: boolean; keys: number }[];
  changes: ConfigChange[];
  /** Source namespaces with no place on the target side. */
  skippedNamespaces: string[];
}

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<ConfigSyncData>> {
  const [from, to] = await Promise.all([resolveSide(ctx, inp.from, inp.cluster), resolveSide(ctx, inp.to, inp.cluster)]);
  if (from.clients.context === to.clients.context && from.namespaces.join() === to.namespaces.join()) {
    throw new GanglionError(400, 'same_config_side', `"${inp.from}" and "${inp.to}" are the same namespaces (${from.namespaces.join(', ')}) of ${from.clients.context}; name two different environments or clusters`);
  }
  if (!inp.dryRun && !inp.diffHash) {
    throw new GanglionError(400, 'diff_not_pinned', 'an approved config-sync needs the diffHash of the dry run it applies (the planner carries it from the preview); run the dry run and approve that diff');
  }
  const [src, dst] = await Promise.all([readSide(from, inp.secrets), readSide(to, inp.secrets)]);
  const missing = inp.secrets.filter((name) => !src.objects.some((o) => o.kind === 'secret' && o.name === name));
  if (missing.length) {
    throw new GanglionError(404, 'secret_not_found', `no Secret ${missing.join(', ')} in ${from.name} (${from.namespaces.join(', ')}) of ${from.clients.context}; name Secrets that exist there`);
  }
  const mapNs = namespaceMapper(from, to);
  const plans = planSync(src.objects, dst.objects, mapNs);
  const hash = diffHash(plans, approvalKey(ctx.config));
  const changes = plans.flatMap((p) => p.changes);
  const skippedNamespaces = from.namespaces.filter((ns) => !mapNs(ns));
  const side = (s: Side) => ({ name: s.name, cluster: s.clients.context, namespaces: s.namespaces });
  const data: ConfigSyncData = {
    from: side(from), to: side(to), dryRun: inp.dryRun, diffHash: hash,
    objects: plans.map((p) => ({ object: `${p.kind}/${p.namespace}/${p.name}`, create: p.create, keys: p.changes.length })), changes, skippedNamespaces,
  };
  const named = inp.secrets.length ? `ConfigMaps and the Secrets ${inp.secrets.join(', ')}` : 'ConfigMaps';
  const what = `${named} of ${from.name} (${from.namespaces.join(', ')}) → ${to.name} (${to.namespaces.join(', ')})`;
  const lines = diffLines(plans).map((l) => `- ${l}`);
  if (inp.dryRun) {
    if (!plans.length) return { summary: `${what}: already in sync, nothing to change`, data };
    return { summary: [`would change ${changes.length} keys in ${plans.length} objects, ${what} (key names only, never values):`, ...lines].join('\n'), data };
  }
  if (inp.diffHash !== hash) {
    throw new GanglionError(409, 'config_changed', `the source or target config changed since the approved dry run (its diff is no longer the one approved); nothing was written; run the dry run again and approve the new diff`, { details: { changes } });
  }
  if (!plans.length) return { summary: `${what}: already in sync, nothing to change`, data };
  await applyAllOrNothing(to, plans, dst.raw, `${from.clients.context}/${from.name}`);
  return { summary: [`changed ${changes.length} keys in ${plans.length} objects, ${what}:`, ...lines].join('\n'), data, subject: `configmaps/${to.name}` };
}
