import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callerFor } from '../../testing/read-tool-harness.js';
import { startCodeOpsCluster } from '../../testing/code-ops-cluster.js';
import * as coverage from './handler.js';

const { sim } = await startCodeOpsCluster();
const call = callerFor(coverage, sim.kubeconfigPath);

test('"check code coverage": totals from the Job equal the tool\'s own table, least-covered file first', async () => {
  const res = await call({});
  assert.is(res.status, 200, JSON.stringify(res.data));
  const d = res.data.data as { totals: { lines: { pct: number }; branches: { pct: number }; functions: { pct: number } }; toolTotals: { lines: number; branches: number; functions: number }; leastCovered: { file: string }[] };
  assert.equal({ lines: d.totals.lines.pct, branches: d.totals.branches.pct, functions: d.totals.functions.pct }, d.toolTotals);
  assert.is(d.leastCovered[0]?.file, 'src/pricing.js');
  assert.match(res.data.summary ?? '', /^Coverage of main: lines [\d.]+%, branches [\d.]+%, functions [\d.]+% \(node --experimental-test-coverage\)\. Least covered: src\/pricing\.js/);
});

test.after(async () => { await sim.stop(); });
test.run();
