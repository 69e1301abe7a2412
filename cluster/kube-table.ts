/**
 * Server-side printing, as `kubectl get` uses it: the API server answers a list or an object as a meta.k8s.io Table
 * (the columns it prints for that kind, a CRD's additionalPrinterColumns included), rendered here as kubectl renders it.
 */
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { getText } from './get-json.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

interface TableColumn { name: string; type?: string; priority?: number }
interface TableRow { cells: unknown[]; object?: { metadata?: { name?: string; namespace?: string } } }
interface WireTable { kind?: string; columnDefinitions?: TableColumn[]; rows?: TableRow[]; metadata?: { continue?: string; remainingItemCount?: number } }

export interface KubeTable {
  columns: string[];
  rows: { namespace?: string; name: string; cells: string[] }[];
  /** More objects exist beyond `limit` (the list was cut by the API server). */
  more: boolean;
  /** How many more, when the API server says. */
  remaining?: number;
}

const cellText = (v: unknown): string => (v === null || v === undefined || v === '' ? '<none>' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** GET a path as a Table: the columns kubectl shows by default (priority 0) and each row's namespace and name. */
export async function readTable(c: KubeClients, path: string, query: Record<string, string | undefined>, what: string): Promise<KubeTable> {
  const text = await kubeCall(what, (signal) => getText(c, path, { ...query, includeObject: 'Metadata' }, signal, TABLE_ACCEPT), { server: c.server, timeoutMs: 30_000 });
  const body = JSON.parse(text) as WireTable;
  if (body.kind !== 'Table') throw new Error(`${what}: the API server answered a ${body.kind ?? 'body'} instead of a Table`);
  const defs = body.columnDefinitions ?? [];
  const shown = defs.map((d, i) => ({ d, i })).filter(({ d }) => (d.priority ?? 0) === 0);
  return {
    columns: shown.map(({ d }) => d.name.toUpperCase()),
    rows: (body.rows ?? []).map((r) => ({
      ...(r.object?.metadata?.namespace ? { namespace: r.object.metadata.namespace } : {}),
      name: r.object?.metadata?.name ?? cellText(r.cells[0]),
      cells: shown.map(({ i }) => cellText(r.cells[i])),
    })),
    more: !!body.metadata?.continue,
    ...(body.metadata?.remainingItemCount !== undefined ? { remaining: body.metadata.remainingItemCount } : {}),
  };
}

/** Columns padded as kubectl's tabwriter pads them (three spaces apart), NAMESPACE first when asked. */
export function renderTable(t: KubeTable, { withNamespace = false }: { withNamespace?: boolean } = {}): string {
  const head = withNamespace ? ['NAMESPACE', ...t.columns] : t.columns;
  const rows = t.rows.map((r) => (withNamespace ? [r.namespace ?? '', ...r.cells] : r.cells));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
