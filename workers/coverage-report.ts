/** Coverage as Ganglion reports it, read from lcov or istanbul's json-summary; totals and the least-covered files. */

export interface Metric { total: number; covered: number; pct: number }
export interface FileCoverage { file: string; lines: Metric; branches: Metric; functions: Metric }
export interface CoverageReport { source: 'lcov' | 'json-summary'; totals: { lines: Metric; branches: Metric; functions: Metric }; files: FileCoverage[] }

/** Two decimals, as node's coverage table and istanbul print them; nothing to cover counts as 100 %. */
export function metric(total: number, covered: number): Metric {
  return { total, covered, pct: total === 0 ? 100 : Math.round((covered / total) * 10_000) / 100 };
}

function sum(files: FileCoverage[], key: 'lines' | 'branches' | 'functions'): Metric {
  return metric(files.reduce((n, f) => n + f[key].total, 0), files.reduce((n, f) => n + f[key].covered, 0));
}

export function parseLcov(text: string): CoverageReport {
  const files: FileCoverage[] = [];
  let cur: { file: string; n: Record<string, number> } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('SF:')) cur = { file: line.slice(3), n: {} };
    else if (line === 'end_of_record' && cur) {
      const n = cur.n;
      files.push({ file: cur.file, lines: metric(n.LF ?? 0, n.LH ?? 0), branches: metric(n.BRF ?? 0, n.BRH ?? 0), functions: metric(n.FNF ?? 0, n.FNH ?? 0) });
      cur = undefined;
    } else if (cur) {
      const m = /^(LF|LH|BRF|BRH|FNF|FNH):(\d+)$/.exec(line);
      if (m) cur.n[m[1]!] = Number(m[2]);
    }
  }
  return { source: 'lcov', totals: { lines: sum(files, 'lines'), branches: sum(files, 'branches'), functions: sum(files, 'functions') }, files };
}

interface SummaryEntry { lines?: Partial<Metric>; branches?: Partial<Metric>; functions?: Partial<Metric> }
const fromSummary = (m: Partial<Metric> | undefined): Metric => ({ total: m?.total ?? 0, covered: m?.covered ?? 0, pct: typeof m?.pct === 'number' ? m.pct : metric(m?.total ?? 0, m?.covered ?? 0).pct });

/** istanbul/c8 `coverage-summary.json`: `total` plus one entry per file, percentages as the tool computed them. */
export function parseJsonSummary(json: string, root = ''): CoverageReport {
  const data = JSON.parse(json) as Record<string, SummaryEntry>;
  const files: FileCoverage[] = Object.entries(data)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => ({ file: root && k.startsWith(root) ? k.slice(root.length).replace(/^\/+/, '') : k, lines: fromSummary(v.lines), branches: fromSummary(v.branches), functions: fromSummary(v.functions) }));
  const t = data.total ?? {};
  return { source: 'json-summary', totals: { lines: fromSummary(t.lines), branches: fromSummary(t.branches), functions: fromSummary(t.functions) }, files };
}

/** Files with code to cover, lowest line coverage first (ties: more uncovered lines first). */
export function leastCovered(files: FileCoverage[], count = 5): FileCoverage[] {
  return files
    .filter((f) => f.lines.total > 0)
    .sort((a, b) => a.lines.pct - b.lines.pct || (b.lines.total - b.lines.covered) - (a.lines.total - a.lines.covered))
    .slice(0, count);
}

/** The "all files" row of node --experimental-test-coverage's table (the tool's own totals), if the output has one. */
export function nodeCoverageTotals(output: string): { lines: number; branches: number; functions: number } | undefined {
  const m = /^#?\s*all files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/m.exec(output.replace(/\u001b\[[0-9;]*m/g, '').replace(/^ℹ /gm, ''));
  return m ? { lines: Number(m[1]), branches: Number(m[2]), functions: Number(m[3]) } : undefined;
}
