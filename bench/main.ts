/**
 * `npm run bench`: runs every registered section in order and prints each as an aligned table.
 * `npm run bench -- gateway` runs only the sections whose module name contains "gateway".
 * To add a section, write bench/<topic>.ts exporting `run(): Promise<BenchSection>` and list it below.
 */
import type { BenchRow, BenchSection, BenchRun } from './bench-section.js';

const SECTIONS: string[] = [
  './gateway.js',
  './stack-modes.js',
  './demo-apps.js',
  './async-queue.js',
  './brain.js',
  './kube-sim-api.js',
  './failing-pods.js',
  './cli-status.js',
  './planner.js',
  './jobs.js',
  './production.js',
  './audit-log.js',
  './auth.js',
];

function formatValue(row: BenchRow): string {
  const v = typeof row.value === 'number' ? (Number.isInteger(row.value) ? String(row.value) : row.value.toFixed(row.value < 10 ? 2 : 1)) : row.value;
  return row.unit ? `${v} ${row.unit}` : v;
}

export function formatSection(section: BenchSection): string {
  const cells = section.rows.map((r) => [r.name, formatValue(r), r.goal ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
  const head = ['figure', 'value', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((x, i) => (i === 1 ? x.padStart(widths[i] ?? 0) : x.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [`== ${section.title} ==`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  for (const n of section.notes ?? []) out.push(`  * ${n}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const chosen = SECTIONS.filter((s) => filters.length === 0 || filters.some((f) => s.includes(f)));
  let missed = 0;
  for (const spec of chosen) {
    const started = Date.now();
    try {
      const mod = (await import(spec)) as { run?: BenchRun };
      if (typeof mod.run !== 'function') throw new Error(`${spec} does not export run()`);
      const section = await mod.run();
      missed += section.rows.filter((r) => r.ok === false).length;
      process.stdout.write(`${formatSection(section)}\n  (${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
    } catch (err) {
      missed += 1;
      process.stdout.write(`== ${spec} FAILED: ${(err as Error).stack ?? String(err)}\n\n`);
    }
  }
  process.stdout.write(`${chosen.length} sections, ${missed} goals missed\n`);
}

await main();
