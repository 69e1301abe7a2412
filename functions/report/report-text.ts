/** The report as Markdown (a person reads it in a terminal or a file) and as a Slack message (the same sections, shorter). */
import { formatBytes, formatCores } from '../../cluster/quantity.js';
import type { Message } from '../../notifications/message.js';
import type { ReportData } from './report-data.js';

const pct = (used: number, total: number) => (total > 0 ? `${Math.round((used / total) * 100)}%` : '?');
const day = (iso: string) => iso.slice(0, 10);
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportTitle(r: ReportData): string {
  return `Infrastructure report — ${r.cluster}, ${day(r.from)} to ${day(r.to)}`;
}

export function headline(r: ReportData): string {
  const ready = r.nodes.filter((n) => n.ready).length;
  return `${ready}/${r.nodes.length} nodes Ready, ${r.workloads.healthy}/${r.workloads.total} Deployments healthy, ${r.unhealthy.length} unhealthy pods, ${r.rollouts.length} rollouts, ${r.alerts.opened} alerts this week`;
}

export function reportMarkdown(r: ReportData): string {
  const out: string[] = [`# ${reportTitle(r)}`, '', headline(r), ''];
  out.push('## Nodes and capacity', '', '| node | status | arch | pods | CPU requested | memory requested |', '|---|---|---|---|---|---|');
  for (const n of r.nodes) {
    out.push(`| ${n.name} | ${n.status}${n.pressure.length ? ` (${n.pressure.join(', ')})` : ''} | ${n.arch} | ${n.pods} | ${formatCores(n.cpuRequested)} of ${formatCores(n.cpuAllocatable)} cores (${pct(n.cpuRequested, n.cpuAllocatable)}) | ${formatBytes(n.memoryRequested)} of ${formatBytes(n.memoryAllocatable)} (${pct(n.memoryRequested, n.memoryAllocatable)}) |`);
  }
  const t = r.totals;
  out.push('', `Cluster: ${formatCores(t.cpuRequested)} of ${formatCores(t.cpuAllocatable)} cores requested (${pct(t.cpuRequested, t.cpuAllocatable)}), ${formatBytes(t.memoryRequested)} of ${formatBytes(t.memoryAllocatable)} memory (${pct(t.memoryRequested, t.memoryAllocatable)}); ${t.pods} pods (${Object.entries(t.podsByPhase).map(([p, n]) => `${n} ${p}`).join(', ')}).`, '');
  out.push('## Workloads', '', `${r.workloads.healthy} of ${r.workloads.total} Deployments have all replicas ready.`);
  if (r.workloads.degraded.length) {
    out.push('', '| namespace | deployment | ready | image |', '|---|---|---|---|');
    for (const w of r.workloads.degraded) out.push(`| ${w.namespace} | ${w.name} | ${w.ready}/${w.desired} | ${cell(w.images.join(', '))} |`);
  }
  if (r.unhealthy.length) {
    out.push('', 'Unhealthy pods now:', '');
    for (const f of r.unhealthy) out.push(`- ${f.namespace}/${f.pod}: ${f.reason} — ${f.detail}`);
  }
  out.push('', '## Restarts', '');
  if (!r.restarts.length) out.push('No container restarted.');
  else {
    out.push('| namespace | pod | restarts | reason |', '|---|---|---|---|');
    for (const p of r.restarts) out.push(`| ${p.namespace} | ${p.pod} | ${p.restarts} | ${p.reason ?? ''} |`);
  }
  out.push('', '## Rollouts (audit log)', '');
  if (!r.rollouts.length) out.push('No rollouts this week.');
  else {
    out.push('| time (UTC) | verb | object | change | result | by |', '|---|---|---|---|---|---|');
    for (const x of r.rollouts) out.push(`| ${when(x.time)} | ${x.verb} | ${x.object}${x.namespace ? ` (${x.namespace})` : ''} | ${cell(x.change)} | ${cell(x.result)} | ${x.by} |`);
  }
  out.push('', '## Alerts of the week', '');
  if (!r.alerts.records.length) out.push('No alerts.');
  else {
    out.push(`${r.alerts.opened} alerts, ${r.alerts.resolved} resolved${r.alerts.stillFiring.length ? `; still firing: ${r.alerts.stillFiring.join(', ')}` : ''}.`, '', '| time (UTC) | monitor | | subject | detail |', '|---|---|---|---|---|');
    for (const a of r.alerts.records) out.push(`| ${when(a.time)} | ${a.monitor} | ${a.kind} | ${a.subject}${a.namespace ? ` (${a.namespace})` : ''} | ${cell(a.detail)} |`);
  }
  return out.join('\n') + '\n';
}

export function reportMessage(r: ReportData): Message {
  const t = r.totals;
  const lines = [
    `*Nodes and capacity*: ${r.nodes.map((n) => `${n.name} ${n.status}`).join(', ')}; ${pct(t.cpuRequested, t.cpuAllocatable)} CPU and ${pct(t.memoryRequested, t.memoryAllocatable)} memory requested`,
    `*Workloads*: ${r.workloads.healthy}/${r.workloads.total} Deployments healthy${r.workloads.degraded.length ? ` — degraded: ${r.workloads.degraded.map((w) => `${w.namespace}/${w.name} ${w.ready}/${w.desired}`).join(', ')}` : ''}`,
    `*Restarts*: ${r.restarts.length ? r.restarts.slice(0, 5).map((p) => `${p.namespace}/${p.pod} ${p.restarts}`).join(', ') : 'none'}`,
    `*Rollouts*: ${r.rollouts.length ? r.rollouts.slice(-5).map((x) => `${x.verb} ${x.object} (${x.change}) ${x.result}`).join('; ') : 'none'}`,
    `*Alerts*: ${r.alerts.opened} fired, ${r.alerts.resolved} resolved${r.alerts.stillFiring.length ? `, still firing: ${r.alerts.stillFiring.join(', ')}` : ''}`,
  ];
  return { kind: 'report', title: reportTitle(r), lines, context: headline(r), data: { report: r } };
}
