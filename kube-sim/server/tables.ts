/** Server-side printing: answers `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` with a meta.k8s.io/v1 Table. */
import type { KubeObject } from '../store.js';
import type { ResourceInfo } from '../resource-table.js';
import { DEFAULT_PRINTER, PRINTERS } from './table-printers.js';
import { customPrinter } from '../crd/printer-columns.js';

/** Whether the Accept header asks for a Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io');
  });
}

function rowObject(o: KubeObject, include: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  const { managedFields: _mf, ...metadata } = o.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

export interface TableOptions { now: number; includeObject?: string | null; resourceVersion?: string; withColumns?: boolean }

/** The Table for objects of one resource; `withColumns: false` leaves the column definitions out (watch events after the first). */
export function toTable(info: ResourceInfo, objects: readonly KubeObject[], opts: TableOptions): Record<string, unknown> {
  // custom resources print their CRD's additionalPrinterColumns (Age when it declares none)
  const printer = info.printerColumns ? customPrinter(info.printerColumns) : PRINTERS[info.resource] ?? DEFAULT_PRINTER;
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((o) => {
    const object = rowObject(o, include);
    return { cells: printer.cells(o, opts.now), ...(object ? { object } : {}) };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: opts.withColumns === false ? null : printer.columns.map((c) => ({ description: '', format: '', priority: 0, ...c })),
    rows,
  };
}
