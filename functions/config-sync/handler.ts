/** config-sync: diff the source side's config against the target's, show it by key and hash, then apply exactly that diff. */
import type { z } from 'zod';
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { diffHash, diffLines, planSync, type ConfigChange, type ObjectPlan } from './config-diff.js';
import { namespaceMapper, readSide, resolveSide, type Side } from './config-sides.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export interface ConfigSyncData {
  from: { name: string; cluster: string; namespaces: string[] };
  to: { name: string; cluster: string; namespaces: string[] };
  dryRun: boolean;
  diffHash: string;
  objects: { object: string; create: boolean; keys: number }[];
  changes: ConfigChange[];
  /** Source namespaces with no place on the target side. */
  skippedNamespaces: string[];
}

async function applyPlan(to: Side, plan: ObjectPlan, current: V1ConfigMap | V1Secret | undefined, origin: string): Promise<void> {
  const c = to.clients;
  const { namespace, name } = plan;
  const opts = { server: c.server };
  const annotations = { ...(current?.metadata?.annotations ?? {}), 'ganglion.dev/synced-from': origin };
  if (plan.kind === 'configmap') {
    const body: V1ConfigMap = { ...(current ?? {}), apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...(current?.metadata ?? {}), name, namespace, annotations }, data: plan.data };
    if (plan.create) await kubeCall(`create configmap ${namespace}/${name}`, () => c.core.createNamespacedConfigMap({ namespace, body }), opts);
    // replace carries the resourceVersion read for the diff: a change made since then fails with 409 instead of being overwritten
    else await kubeCall(`update configmap ${namespace}/${name}`, () => c.core.replaceNamespacedConfigMap({ name, namespace, body }), opts);
    return;
  }
  const body: V1Secret = { ...(current ?? {}), apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { ...(current?.metadata ?? {}), name, namespace, annotations }, data: plan.data };
  if (plan.create) await kubeCall(`create secret ${namespace}/${name}`, () => c.core.createNamespacedSecret({ namespace, body }), opts);
  else await kubeCall(`update secret ${namespace}/${name}`, () => c.core.replaceNamespacedSecret({ name, namespace, body }), opts);
}

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<ConfigSyncData>> {
  const [from, to] = await Promise.all([resolveSide(ctx, inp.from, inp.cluster), resolveSide(ctx, inp.to, inp.cluster)]);
  if (from.clients.context === to.clients.context && from.namespaces.join() === to.namespaces.join()) {
    throw new GanglionError(400, 'same_config_side', `"${inp.from}" and "${inp.to}" are the same namespaces (${from.namespaces.join(', ')}) of ${from.clients.context}; name two different environments or clusters`);
  }
  const [src, dst] = await Promise.all([readSide(from, inp.secrets), readSide(to, inp.secrets)]);
  const mapNs = namespaceMapper(from, to);
  const plans = planSync(src.objects, dst.objects, mapNs);
  const hash = diffHash(plans);
  const changes = plans.flatMap((p) => p.changes);
  const skippedNamespaces = from.namespaces.filter((ns) => !mapNs(ns));
  const side = (s: Side) => ({ name: s.name, cluster: s.clients.context, namespaces: s.namespaces });
  const data: ConfigSyncData = {
    from: side(from), to: side(to), dryRun: inp.dryRun, diffHash: hash,
    objects: plans.map((p) => ({ object: `${p.kind}/${p.namespace}/${p.name}`, create: p.create, keys: p.changes.length })), changes, skippedNamespaces,
  };
  const what = `${inp.secrets ? 'ConfigMaps and Secrets' : 'ConfigMaps'} of ${from.name} (${from.namespaces.join(', ')}) → ${to.name} (${to.namespaces.join(', ')})`;
  const lines = diffLines(plans).map((l) => `- ${l}`);
  if (!plans.length) return { summary: `${what}: already in sync, nothing to change`, data };
  if (inp.dryRun) return { summary: [`would change ${changes.length} keys in ${plans.length} objects, ${what} (diff ${hash}; values shown as hashes only):`, ...lines].join('\n'), data };
  if (inp.diffHash && inp.diffHash !== hash) {
    throw new GanglionError(409, 'config_changed', `the config changed since the preview (diff ${inp.diffHash} is now ${hash}); run the dry run again and approve the new diff`, { details: { changes } });
  }
  const origin = `${from.clients.context}/${from.name}`;
  for (const p of plans) await applyPlan(to, p, dst.raw.get(`${p.kind}/${p.namespace}/${p.name}`), origin);
  return { summary: [`changed ${changes.length} keys in ${plans.length} objects, ${what}:`, ...lines].join('\n'), data, subject: `configmaps/${to.name}` };
}
