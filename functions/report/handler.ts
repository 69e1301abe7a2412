/** report: reads the cluster once (the pods in pages), the audit log and the alerts the Monitor objects recorded, and answers the weekly report (Markdown in data.markdown). */
import type { z } from 'zod';
import { readAllAudit } from '../../audit/audit-log.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { LIST_PAGE_SIZE, listDeployments, listNamespaces, listNodes } from '../../cluster/read-cluster.js';
import { readFailingPods } from '../../cluster/read-failing-pods.js';
import { readAlerts } from '../../monitors/alert-log.js';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { channelsFor, deliverAll, type DeliveryResult } from '../../notifications/deliver.js';
import { buildReport, podLoadCollector, type ReportData } from './report-data.js';
import { headline, reportMarkdown, reportMessage, reportTitle } from './report-text.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<{ report: ReportData; markdown: string; sent: DeliveryResult[] }>> {
  const c = await ctx.kube.clients(inp.cluster);
  const to = ctx.now();
  const from = new Date(to.getTime() - inp.days * 86_400_000);
  // the pods in pages (tallied and analysed with their warning events), the per-node load gathered alongside
  const collect = podLoadCollector();
  const [nodes, namespaces, deployments, tally] = await Promise.all([listNodes(c), listNamespaces(c), listDeployments(c), readFailingPods(c, undefined, to.getTime(), LIST_PAGE_SIZE, collect.add)]);
  // the audit records and the Monitors' alerts live in the home cluster's state namespace, whichever cluster the report is about
  const state = stateClient(ctx.kube, ctx.config);
  const audit = (await readAllAudit(state, { since: from }, ctx.signal)).records.filter((r) => !r.cluster || r.cluster === c.context);
  const report = buildReport({ cluster: c.context, nodes, namespaces, deployments, pods: { ...tally, ...collect.load }, audit, alerts: await readAlerts(state, from, ctx.signal), from, to });
  const markdown = reportMarkdown(report);
  const sent = await deliverAll(channelsFor(inp.notify), reportMessage(report), { config: ctx.config, now: ctx.now, signal: ctx.signal });
  const failed = sent.filter((s) => !s.ok);
  const where = sent.length ? ` Sent to ${sent.filter((s) => s.ok).map((s) => s.channel).join(' and ') || 'nowhere'}${failed.length ? `; not sent: ${failed.map((s) => s.error).join('; ')}` : ''}.` : '';
  return { summary: `${reportTitle(report)}: ${headline(report)}.${where}\n\n${markdown}`, data: { report, markdown, sent } };
}
