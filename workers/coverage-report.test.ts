import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { leastCovered, nodeCoverageTotals, parseJsonSummary, parseLcov } from './coverage-report.js';

const LCOV = `TN:
SF:src/math.js
FNF:3
FNH:2
BRF:4
BRH:3
LH:6
LF:8
end_of_record
SF:test/math.test.js
FNF:3
FNH:2
BRF:3
BRH:3
LH:6
LF:6
end_of_record
`;

test('lcov: per-file metrics and totals summed over files, percentages to two decimals as node prints them', () => {
  const r = parseLcov(LCOV);
  assert.equal(r.totals, { lines: { total: 14, covered: 12, pct: 85.71 }, branches: { total: 7, covered: 6, pct: 85.71 }, functions: { total: 6, covered: 4, pct: 66.67 } });
  assert.equal(r.files.map((f) => [f.file, f.lines.pct]), [['src/math.js', 75], ['test/math.test.js', 100]]);
  assert.equal(leastCovered(r.files, 1).map((f) => f.file), ['src/math.js']);
});

test('json-summary (c8/istanbul): the tool\'s own totals and percentages, file paths made relative to the checkout', () => {
  const r = parseJsonSummary(JSON.stringify({
    total: { lines: { total: 10, covered: 7, skipped: 0, pct: 70 }, branches: { total: 2, covered: 1, pct: 50 }, functions: { total: 3, covered: 3, pct: 100 } },
    '/tmp/co/src/a.js': { lines: { total: 10, covered: 7, pct: 70 }, branches: { total: 2, covered: 1, pct: 50 }, functions: { total: 3, covered: 3, pct: 100 } },
  }), '/tmp/co');
  assert.equal(r.totals.lines, { total: 10, covered: 7, pct: 70 });
  assert.equal(r.files.map((f) => f.file), ['src/a.js']);
});

test('the "all files" row of node\'s coverage table (TAP comments or spec ℹ lines) is read as the tool\'s totals', () => {
  assert.equal(nodeCoverageTotals('# all files         |  85.71 |    85.71 |   66.67 |\n'), { lines: 85.71, branches: 85.71, functions: 66.67 });
  assert.equal(nodeCoverageTotals('ℹ all files | 90.00 | 80.00 | 100.00 |\n'), { lines: 90, branches: 80, functions: 100 });
  assert.is(nodeCoverageTotals('no table'), undefined);
});

test.run();
