/**
 * The layer rules over the import graph: which unit a file belongs to, and which imports break the layer order
 * that README's "Layers" block writes down (a unit imports only from its own row or rows below; no cycles).
 */
import type { ImportEdge } from './import-graph.js';

/** Test code is outside the layers: `*.test.ts`, `testing/` folders and the cross-unit suites under `test/`. */
export function isTestCode(file: string): boolean {
  return file.endsWith('.test.ts') || file.startsWith('test/') || file.startsWith('testing/') || file.includes('/testing/');
}

/** The unit a file belongs to: its top-level folder, or `functions/<name>` (each function is its own unit). */
export function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'functions' && parts.length > 2) return `functions/${parts[1]}`;
  return parts.length > 1 ? parts[0] : '.';
}

/** Reads the rows of the README's fenced "layers" block: `N. a, b` lines, bottom row first. */
export function parseLayers(readme: string): string[][] {
  const block = /```text layers\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```text layers block (the layer order, bottom row first)');
  return block[1]
    .split('\n')
    .map((line) => /^\s*\d+\.\s+([^#]+)/.exec(line)?.[1])
    .filter((row): row is string => row !== undefined)
    .map((row) => row.split(',').map((s) => s.trim().replace(/\/$/, '')).filter(Boolean));
}

export interface Violation {
  rule: 'unlisted' | 'upward' | 'across-functions' | 'into-test-code' | 'stand-alone' | 'by-package-name' | 'cycle';
  message: string;
}

/** Units that stand beside the layers: they import nothing of the product, and only the named units import them. */
export interface StandAlone {
  unit: string;
  importedBy: string[];
}

export function checkLayers(edges: ImportEdge[], layers: string[][], standAlone: StandAlone[] = []): Violation[] {
  const rowOf = new Map<string, number>();
  layers.forEach((row, i) => row.forEach((folder) => rowOf.set(folder, i)));
  const beside = new Map(standAlone.map((s) => [s.unit, s]));
  const topOf = (unit: string) => unit.split('/')[0];
  const out: Violation[] = [];
  const unitEdges = new Map<string, Set<string>>();
  const seenUnlisted = new Set<string>();

  for (const e of edges) {
    const intoPackage = beside.get(topOf(unitOf(e.to)));
    // a package is reached by its name, from tests too: a relative path into its folder finds its sources, not its build
    if (intoPackage && topOf(unitOf(e.from)) !== intoPackage.unit && e.specifier.startsWith('.')) {
      out.push({ rule: 'by-package-name', message: `${e.from} imports ${e.specifier}: import ${intoPackage.unit} by its package name` });
      continue;
    }
    if (isTestCode(e.from)) continue;
    const from = unitOf(e.from);
    const to = unitOf(e.to);
    const where = `${e.from} imports ${e.specifier}`;
    // the bench and the eval are harnesses too: they may start the same test servers the suites do
    if (isTestCode(e.to) && !e.from.startsWith('bench/') && !e.from.startsWith('eval/')) {
      out.push({ rule: 'into-test-code', message: `${where}: production code never imports test support` });
      continue;
    }
    if (from === to || isTestCode(e.to)) continue;
    const fromBeside = beside.get(topOf(from));
    const toBeside = beside.get(topOf(to));
    if (fromBeside) {
      out.push({ rule: 'stand-alone', message: `${where}: ${fromBeside.unit} stands alone and imports nothing of the product` });
      continue;
    }
    if (toBeside) {
      if (!toBeside.importedBy.includes(topOf(from))) out.push({ rule: 'stand-alone', message: `${where}: only ${toBeside.importedBy.join(', ')} may use ${toBeside.unit}` });
      continue;
    }
    for (const unit of [from, to]) {
      if (!rowOf.has(topOf(unit)) && !seenUnlisted.has(topOf(unit))) {
        seenUnlisted.add(topOf(unit));
        out.push({ rule: 'unlisted', message: `${topOf(unit)}/ is in no row of README's layers block; add it where it belongs` });
      }
    }
    const fromRow = rowOf.get(topOf(from));
    const toRow = rowOf.get(topOf(to));
    if (fromRow === undefined || toRow === undefined) continue;
    if (from.startsWith('functions/') && to.startsWith('functions/')) {
      out.push({ rule: 'across-functions', message: `${where}: a function never imports another function's folder; move what both need to a shared folder` });
    } else if (toRow > fromRow) {
      out.push({ rule: 'upward', message: `${where}: ${topOf(to)}/ (row ${toRow + 1}) is above ${topOf(from)}/ (row ${fromRow + 1})` });
    }
    if (!unitEdges.has(from)) unitEdges.set(from, new Set());
    unitEdges.get(from)!.add(to);
  }
  for (const cycle of cyclesOf(unitEdges)) out.push({ rule: 'cycle', message: `units import each other: ${cycle.join(' → ')}` });
  return out;
}

/** Strongly connected components of more than one unit (Tarjan), each as a sorted list. */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}
