/**
 * node: kubectl cordon / uncordon / drain. A drain cordons, then evicts (the Eviction API, so disruption budgets
 * hold) each pod on the node but DaemonSet pods (their controller would put them straight back) and mirror pods.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import type { Change } from '../../events/change.js';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import { KubeHttpError, requestText } from '../../cluster/get-json.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { objectPath } from '../../cluster/kind-routes.js';
import { EVICTION_ROUTE, NODE_ROUTE, POD_ROUTE } from './kinds.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;
interface PodItem { metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string>; ownerReferences?: { kind?: string }[] } }
interface Evictable { name: string; namespace: string; uid: string }

/** Pods a drain leaves: owned by a DaemonSet, or mirrors of a static pod (the kubelet's own). */
export function drainable(items: PodItem[]): { evict: Evictable[]; kept: string[] } {
  const evict: Evictable[] = [];
  const kept: string[] = [];
  for (const p of items) {
    const id = `${p.metadata?.namespace}/${p.metadata?.name}`;
    const daemon = (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');
    const mirror = Boolean(p.metadata?.annotations?.['kubernetes.io/config.mirror']);
    if (daemon || mirror) kept.push(`${id} (${daemon ? 'DaemonSet' : 'mirror pod'})`);
    else evict.push({ name: p.metadata?.name ?? '', namespace: p.metadata?.namespace ?? '', uid: p.metadata?.uid ?? '' });
  }
  return { evict, kept };
}

async function readNode(c: KubeClients, name: string): Promise<{ unschedulable: boolean }> {
  try {
    const node = JSON.parse(await requestText(c, 'GET', objectPath(NODE_ROUTE, undefined, name))) as { spec?: { unschedulable?: boolean } };
    return { unschedulable: node.spec?.unschedulable === true };
  } catch (err) {
    if (err instanceof KubeHttpError && err.code === 404) {
      const list = JSON.parse(await requestText(c, 'GET', objectPath(NODE_ROUTE, undefined))) as { items?: { metadata?: { name?: string } }[] };
      throw new GanglionError(404, 'not_found', `no node ${name}; the nodes are ${(list.items ?? []).map((n) => n.metadata?.name).join(', ')}; nothing was changed`);
    }
    throw err;
  }
}

async function podsOn(c: KubeClients, node: string): Promise<PodItem[]> {
  const list = JSON.parse(await requestText(c, 'GET', objectPath(POD_ROUTE, undefined), { query: { fieldSelector: `spec.nodeName=${node}` } })) as { items?: PodItem[] };
  return list.items ?? [];
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const c = await ctx.kube.clients(inp.cluster);
  const where = inp.cluster ? { cluster: inp.cluster } : {};
  const node = await kubeCall(`read node ${inp.node}`, () => readNode(c, inp.node), { server: c.server });
  const wanted = inp.action !== 'uncordon';
  const flag: Change = { object: `node/${inp.node}`, ...where, field: 'unschedulable', before: node.unschedulable, after: wanted };
  const pods = inp.action === 'drain' ? drainable(await kubeCall(`list the pods on ${inp.node}`, () => podsOn(c, inp.node), { server: c.server })) : { evict: [], kept: [] };
  const evictions = pods.evict.map((p): Change => ({ object: `pod/${p.name}`, namespace: p.namespace, ...where, field: 'evicted', before: `on ${inp.node}`, after: null }));
  const h = createHash('sha256').update(`ganglion node v1\n${inp.action} ${inp.node} ${node.unschedulable}\n`);
  for (const p of pods.evict) h.update(`${p.namespace}/${p.name}@${p.uid}\n`);
  const diffHash = `node:${h.digest('hex').slice(0, 32)}`;
  const changes = [flag, ...evictions];
  const keptNote = pods.kept.length ? [`(left on it: ${pods.kept.slice(0, 20).join(', ')})`] : [];
  const podLines = pods.evict.slice(0, 50).map((p) => `- evict pod/${p.name} (${p.namespace})`);
  if (inp.dryRun) {
    const head = inp.action === 'drain'
      ? `would drain ${inp.node}: ${node.unschedulable ? 'already cordoned' : 'cordon it'}, then evict ${pods.evict.length} pod${pods.evict.length === 1 ? '' : 's'}${pods.evict.length ? ':' : ''}`
      : node.unschedulable === wanted ? `${inp.node} is already ${wanted ? 'cordoned' : 'schedulable'}; nothing would change` : `would ${inp.action} ${inp.node} (unschedulable ${node.unschedulable} → ${wanted})`;
    return { summary: [head, ...podLines, ...keptNote].join('\n'), subject: `node/${inp.node}`, data: { dryRun: true, diffHash, changes } };
  }
  if (inp.action === 'drain' && !inp.diffHash) throw new GanglionError(400, 'diff_not_pinned', 'an approved drain needs the diffHash of its preview (the planner carries it); run the dry run and approve that list');
  if (inp.diffHash && inp.diffHash !== diffHash) throw new GanglionError(409, 'node_changed', `the node or the pods on ${inp.node} changed since the approved preview; nothing was changed; run the dry run again`);
  if (node.unschedulable !== wanted) {
    await kubeCall(`${wanted ? 'cordon' : 'uncordon'} ${inp.node}`, (signal) => requestText(c, 'PATCH', objectPath(NODE_ROUTE, undefined, inp.node), { body: { spec: { unschedulable: wanted } }, contentType: 'application/merge-patch+json', signal }), { server: c.server });
  }
  const evicted: Change[] = [];
  for (const [i, p] of pods.evict.entries()) {
    const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.name, namespace: p.namespace }, deleteOptions: { preconditions: { uid: p.uid } } };
    try {
      await kubeCall(`evict pod/${p.name} (${p.namespace})`, (signal) => requestText(c, 'POST', objectPath(EVICTION_ROUTE, p.namespace, p.name), { body, signal }), { server: c.server });
      evicted.push(evictions[i] as Change);
    } catch (err) {
      const failed = toPublicError(err);
      throw new GanglionError(failed.status >= 400 && failed.status < 600 ? failed.status : 500, 'drain_failed', `${inp.node} is cordoned, but evicting pod/${p.name} (${p.namespace}) failed (${failed.message}); ${evicted.length} of ${pods.evict.length} pods were evicted; run the drain again once the cause is fixed`, { cause: err, details: { changes: [flag, ...evicted] } });
    }
  }
  const done = inp.action === 'drain' ? `drained ${inp.node}: cordoned, ${evicted.length} pod${evicted.length === 1 ? '' : 's'} evicted` : `${inp.action === 'cordon' ? 'cordoned' : 'uncordoned'} ${inp.node}`;
  return { summary: [done, ...podLines.map((l) => l.replace('- evict', '- evicted')), ...keptNote].join('\n'), subject: `node/${inp.node}`, data: { dryRun: false, diffHash, changes: [flag, ...evicted] } };
}
