/** cluster-status: lists nodes, namespaces, Deployments, pods and pod warnings once each, and summarises them. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { shortFinding, statusLines, summariseCluster, workloadLine, type ClusterSummary } from '../../cluster/cluster-summary.js';
import { closestNames } from '../../cluster/closest-names.js';
import { listDeployments, listNamespaces, listNodes } from '../../cluster/read-cluster.js';
import { readFailingPods } from '../../cluster/read-failing-pods.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export type ClusterStatusData = ClusterSummary & { cluster: string; namespace?: string };

/** The Deployment asked about (or every one, when listed) first: the lines that answer "how many replicas does frontend have". */
function detailLines(inp: z.infer<typeof input>, summary: ClusterSummary, context: string): string[] {
  if (inp.name) {
    const hits = summary.workloads.filter((w) => w.name === inp.name);
    if (!hits.length) {
      const closest = closestNames(inp.name, summary.workloads.map((w) => w.name), 3);
      throw new GanglionError(404, 'unknown_deployment', `no Deployment "${inp.name}"${inp.namespace ? ` in namespace ${inp.namespace}` : ''} in cluster ${context}; ${closest.length ? `closest: ${closest.join(', ')}` : 'there are no Deployments'}`, { details: { closest } });
    }
    const unhealthy = summary.unhealthy.filter((f) => hits.some((w) => w.namespace === f.namespace && f.owner === `deployment/${w.name}`));
    return [...hits.map(workloadLine), ...(unhealthy.length ? [`its unhealthy pods: ${unhealthy.map(shortFinding).join('; ')}`] : [])];
  }
  return inp.deployments ? [`Deployments (${summary.workloads.length}):`, ...summary.workloads.map((w) => `  ${workloadLine(w)}`)] : [];
}

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
    summary: [...detailLines(inp, summary, c.context), head, ...statusLines(summary)].join('\n'),
    data: { cluster: c.context, ...(ns ? { namespace: ns } : {}), ...summary },
  };
}
