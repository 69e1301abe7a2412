import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callerFor } from '../../testing/read-tool-harness.js';
import { startCodeOpsCluster } from '../../testing/code-ops-cluster.js';
import { PLANTED_SECRET } from '../../workers/demo-repo.js';
import * as codeReview from './handler.js';

const { sim } = await startCodeOpsCluster();
const call = callerFor(codeReview, sim.kubeconfigPath);

test('reviewing the newest commit of the branch with the planted secret: found at file:line, verdict request-changes', async () => {
  const res = await call({ branch: PLANTED_SECRET.branch });
  assert.is(res.status, 200, JSON.stringify(res.data));
  const d = res.data.data as { verdict: string; findings: { rule: string; file: string; line?: number; severity: string }[] };
  assert.is(d.verdict, 'request-changes');
  assert.ok(d.findings.some((f) => f.rule === 'secret/aws-access-key' && f.file === PLANTED_SECRET.file && f.line === PLANTED_SECRET.line && f.severity === 'high'));
  assert.match(res.data.summary ?? '', `[high] ${PLANTED_SECRET.file}:${PLANTED_SECRET.line}`);
});

test('"review the latest commit" (main, clean) is approved, which is what the planner\'s review-then-deploy waits for', async () => {
  const res = await call({});
  assert.is(res.status, 200);
  assert.is((res.data.data as { verdict: string }).verdict, 'approve');
});

test.after(async () => { await sim.stop(); });
test.run();
