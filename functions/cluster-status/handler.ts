/** cluster-status: lists nodes, namespaces, Deployments, pods and pod warnings once each, and summarises them. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { statusLines, summariseCluster, type ClusterSummary } from '../../cluster/cluster-summary.js';
import { listDeployments, listNamespaces, listNodes } from '../../cluster/read-cluster.js';
import { readFailingPods } from '../../cluster/read-failing-pods.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export type ClusterStatusData = ClusterSummary & { cluster: string; namespace?: string };

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<ClusterStatusData>> {
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.namespace || undefined;
  const now = ctx.now().getTime();
  const [nodes, namespaces, deployments, pods] = await Promise.all([
    listNodes(c), listNamespaces(c), listDeployments(c, ns), readFailingPods(c, ns, now),
  ]);
  const names = namespaces.map((n) => n.metadata?.name ?? '');
  if (ns && !names.includes(ns)) {
    throw new GanglionError(404, 'namespace_not_found', `namespace "${ns}" does not exist in cluster ${c.context}; existing namespaces: ${names.sort().join(', ') || 'none'}`, { details: { namespace: ns, namespaces: names } });
  }
  const summary = summariseCluster({ nodes, namespaces: ns ? namespaces.filter((n) => n.metadata?.name === ns) : namespaces, deployments, pods });
  const head = `Cluster ${c.context}${ns ? `, namespace ${ns}` : ''}: ${summary.unhealthy.length ? `${summary.unhealthy.length} unhealthy pod${summary.unhealthy.length === 1 ? '' : 's'}` : 'all pods healthy'}`;
  return {
    summary: [head, ...statusLines(summary)].join('\n'),
    data: { cluster: c.context, ...(ns ? { namespace: ns } : {}), ...summary },
  };
}
