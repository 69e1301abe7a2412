/**
 * kube-top: `kubectl top nodes|pods` from the metrics.k8s.io API, figures computed as kubectl computes them, and for
 * nodes the conditions that say which are under memory, disk or PID pressure (answered even where no metrics are served).
 */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { getJson } from '../../cluster/get-json.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { capOutput } from '../../cluster/output-cap.js';
import { parseQuantity } from '../../cluster/quantity.js';
import { listNodes, requireNamespace } from '../../cluster/read-cluster.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;
interface Usage { cpu?: string; memory?: string }
interface MetricsList<T> { items?: T[] }
interface NodeMetrics { metadata?: { name?: string }; usage?: Usage }
interface PodMetrics { metadata?: { name?: string; namespace?: string }; containers?: { name: string; usage?: Usage }[] }

export interface UsageRow { name: string; namespace?: string; cpuMillis: number; memoryMi: number; cpuPercent?: number; memoryPercent?: number; ready?: boolean; pressure?: string[] }
export interface KubeTopData { cluster: string; what: 'nodes' | 'pods'; metrics: boolean; rows: UsageRow[]; underPressure: { name: string; conditions: string[] }[]; trimmed: { lines: number; bytes: number } }

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
// kubectl rounds a fraction of a millicore up; toFixed first, so 0.013 × 1000 = 13.000000000000002 stays 13
const milli = (q: string | undefined) => Math.ceil(Number(((parseQuantity(q ?? '0') || 0) * 1000).toFixed(6)));
const mebi = (q: string | undefined) => Math.floor((parseQuantity(q ?? '0') || 0) / 2 ** 20);

/** The metrics list, or undefined where the cluster serves no metrics.k8s.io (no metrics-server): a fact, not a failure. */
async function readMetrics<T>(c: KubeClients, path: string, query: Record<string, string | undefined>, what: string): Promise<T[] | undefined> {
  try {
    return (await kubeCall(what, (signal) => getJson<MetricsList<T>>(c, path, query, signal), { server: c.server })).items ?? [];
  } catch (err) {
    if (err instanceof GanglionError && (err.status === 404 || err.status === 503 || err.status === 502)) return undefined;
    throw err;
  }
}

const NO_METRICS = 'the cluster serves no metrics.k8s.io API (install metrics-server for usage figures)';

async function topNodes(c: KubeClients, inp: Input): Promise<{ rows: UsageRow[]; metrics: boolean; lines: string[] }> {
  const sel = { labelSelector: inp.labelSelector || undefined };
  const [nodes, metrics] = await Promise.all([listNodes(c), readMetrics<NodeMetrics>(c, '/apis/metrics.k8s.io/v1beta1/nodes', sel, 'read node metrics')]);
  const byName = new Map((metrics ?? []).map((m) => [m.metadata?.name ?? '', m.usage ?? {}]));
  const wanted = inp.labelSelector && metrics ? nodes.filter((n) => byName.has(n.metadata?.name ?? '')) : nodes;
  const rows: UsageRow[] = wanted.map((n) => {
    const name = n.metadata?.name ?? '';
    const u = byName.get(name);
    const conds = n.status?.conditions ?? [];
    const alloc = n.status?.allocatable ?? {};
    return {
      name, cpuMillis: milli(u?.cpu), memoryMi: mebi(u?.memory),
      ...(u ? { cpuPercent: Math.trunc((milli(u.cpu) / milli(alloc.cpu)) * 100), memoryPercent: Math.trunc(((parseQuantity(u.memory ?? '0') || 0) / (parseQuantity(alloc.memory ?? '0') || 1)) * 100) } : {}),
      ready: conds.some((x) => x.type === 'Ready' && x.status === 'True'),
      pressure: conds.filter((x) => PRESSURE.includes(x.type) && x.status === 'True').map((x) => x.type),
    };
  });
  if (inp.sortBy) rows.sort((a, b) => (inp.sortBy === 'cpu' ? b.cpuMillis - a.cpuMillis : b.memoryMi - a.memoryMi));
  const lines = ['NAME'.padEnd(16) + 'CPU(cores)  CPU(%)  MEMORY(bytes)  MEMORY(%)  READY  PRESSURE',
    ...rows.map((r) => `${r.name.padEnd(16)}${(metrics ? `${r.cpuMillis}m` : '-').padEnd(12)}${(r.cpuPercent !== undefined ? `${r.cpuPercent}%` : '-').padEnd(8)}${(metrics ? `${r.memoryMi}Mi` : '-').padEnd(15)}${(r.memoryPercent !== undefined ? `${r.memoryPercent}%` : '-').padEnd(11)}${(r.ready ? 'True' : 'False').padEnd(7)}${r.pressure?.join(',') || 'none'}`)];
  return { rows, metrics: !!metrics, lines };
}

async function topPods(c: KubeClients, inp: Input, ns: string | undefined): Promise<{ rows: UsageRow[]; metrics: boolean; lines: string[] }> {
  const path = `/apis/metrics.k8s.io/v1beta1${ns ? `/namespaces/${encodeURIComponent(ns)}` : ''}/pods`;
  const metrics = await readMetrics<PodMetrics>(c, path, { labelSelector: inp.labelSelector || undefined }, `read pod metrics ${ns ? `in namespace ${ns}` : 'in all namespaces'}`);
  const rows: UsageRow[] = (metrics ?? []).map((m) => ({
    name: m.metadata?.name ?? '', ...(m.metadata?.namespace ? { namespace: m.metadata.namespace } : {}),
    cpuMillis: (m.containers ?? []).reduce((s, x) => s + milli(x.usage?.cpu), 0),
    memoryMi: Math.floor((m.containers ?? []).reduce((s, x) => s + (parseQuantity(x.usage?.memory ?? '0') || 0), 0) / 2 ** 20),
  }));
  rows.sort((a, b) => (inp.sortBy === 'cpu' ? b.cpuMillis - a.cpuMillis || b.memoryMi - a.memoryMi : b.memoryMi - a.memoryMi || b.cpuMillis - a.cpuMillis));
  const lines = [`${ns ? '' : 'NAMESPACE'.padEnd(16)}${'NAME'.padEnd(40)}CPU(cores)  MEMORY(bytes)`,
    ...rows.map((r) => `${ns ? '' : (r.namespace ?? '').padEnd(16)}${r.name.padEnd(40)}${`${r.cpuMillis}m`.padEnd(12)}${r.memoryMi}Mi`)];
  return { rows, metrics: !!metrics, lines };
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult<KubeTopData>> {
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.what === 'pods' ? inp.namespace || undefined : undefined;
  if (ns) await requireNamespace(c, ns);
  const top = inp.what === 'nodes' ? await topNodes(c, inp) : await topPods(c, inp, ns);
  const underPressure = top.rows.filter((r) => r.pressure?.length).map((r) => ({ name: r.name, conditions: r.pressure ?? [] }));
  const capped = capOutput(top.lines.join('\n'), { narrow: 'narrow it with a namespace or a label selector' });
  const shown = top.rows.slice(0, Math.max(0, top.lines.length - 1 - capped.droppedLines));
  let head: string;
  if (inp.what === 'nodes') {
    const notReady = top.rows.filter((r) => !r.ready).map((r) => r.name);
    head = `${top.rows.length} node${top.rows.length === 1 ? '' : 's'}: ${underPressure.length ? `under pressure: ${underPressure.map((p) => `${p.name} (${p.conditions.join(', ')})`).join('; ')}` : 'none under memory, disk or PID pressure'}${notReady.length ? `; not Ready: ${notReady.join(', ')}` : ''}${top.metrics ? '' : `; ${NO_METRICS}`}`;
  } else {
    const heaviest = shown[0];
    head = top.metrics
      ? `${top.rows.length} running pod${top.rows.length === 1 ? '' : 's'}${ns ? ` in namespace ${ns}` : ''}, heaviest by ${inp.sortBy ?? 'memory'} first${heaviest ? ` (${heaviest.namespace && !ns ? `${heaviest.namespace}/` : ''}${heaviest.name}: ${heaviest.cpuMillis}m CPU, ${heaviest.memoryMi}Mi memory)` : ''}`
      : `No pod usage: ${NO_METRICS}`;
  }
  return {
    summary: top.metrics || inp.what === 'nodes' ? `${head}\n${capped.text}` : head,
    data: { cluster: c.context, what: inp.what, metrics: top.metrics, rows: shown, underPressure, trimmed: { lines: capped.droppedLines, bytes: capped.droppedBytes } },
  };
}
