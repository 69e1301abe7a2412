import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import { STAGING_FAILURE } from './demo-repo.js';
import { demoRepo, recordingIo } from './role-harness.js';
import { runTestsRole } from './run-tests-role.js';

const repo = demoRepo();
const run = (args: Partial<Parameters<typeof runTestsRole>[0]>) => runTestsRole({ repo, timeoutMs: 60_000, ...args }, recordingIo());

test('the failing test on staging is reported by name and message, with the counts', async () => {
  const r = await run({ branch: 'staging' });
  const d = r.data as { branch: string; passed: number; failed: number; skipped: number; failures: { name: string; message: string; location?: string }[]; format: string };
  assert.equal([d.branch, d.format, d.passed, d.failed, d.skipped], ['staging', 'tap', 4, 1, 0]);
  assert.is(d.failures[0]?.name, STAGING_FAILURE.name);
  assert.match(d.failures[0]?.message ?? '', STAGING_FAILURE.message);
  assert.match(d.failures[0]?.message ?? '', '120 !== 110');
  assert.match(r.summary, `Tests on staging FAILED: 4 passed, 1 failed, 0 skipped. Failed: "${STAGING_FAILURE.name}": ${STAGING_FAILURE.message}`);
  assert.match(r.summary, '(test/pricing.test.js:9:1)');
});

test('the default branch (main) passes', async () => {
  const r = await run({});
  assert.is(r.summary, 'Tests on main passed: 5 passed, 0 failed, 0 skipped.');
});

test('the repository\'s tests see a scrubbed environment: PATH and HOME, not OLLAMA_HOST, KUBECONFIG or GANGLION_*', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-env-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'env | sed "s/^/ENV /"; printf "TAP version 13\\nok 1 - env\\n1..1\\n"' } }));
  execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: dir });
  const planted = { OLLAMA_HOST: 'http://brain:11434', KUBECONFIG: '/home/u/.kube/config', GANGLION_STEP_KEY: 'k', AWS_SECRET_ACCESS_KEY: 'x' };
  const before = { ...process.env };
  Object.assign(process.env, planted);
  try {
    const io = recordingIo();
    await runTestsRole({ repo: dir, timeoutMs: 60_000 }, io);
    const seen = [...io.lines.join('\n').matchAll(/ENV (\w+)=/g)].map((m) => m[1]);
    assert.ok(seen.includes('PATH') && seen.includes('HOME') && seen.includes('CI'), seen.join(' '));
    for (const name of Object.keys(planted)) assert.not.ok(seen.includes(name), `${name} reached the tests`);
  } finally {
    for (const name of Object.keys(planted)) if (!(name in before)) delete process.env[name]; else process.env[name] = before[name];
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing branch is a clear 404 listing the branches there are', async () => {
  const err = await run({ branch: 'release' }).catch((e: unknown) => e);
  assert.instance(err, GanglionError);
  assert.is((err as GanglionError).code, 'branch_not_found');
  assert.match((err as GanglionError).message, `branch "release" does not exist in ${repo}; branches: feature/payments, main, staging`);
});

test('an unreachable repository says which one and what to check', async () => {
  const err = await run({ repo: 'file:///nowhere/at/all.git' }).catch((e: unknown) => e);
  assert.is((err as GanglionError).code, 'repo_unreachable');
  assert.match((err as GanglionError).message, /cannot read repository file:\/\/\/nowhere\/at\/all\.git: .*not.*repository/i);
});

test('a uvu project is parsed as uvu, failure name and message included', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-uvu-'));
  const uvu = path.resolve('node_modules/uvu');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', scripts: { test: 'node check.test.js' } }));
  writeFileSync(path.join(dir, 'check.test.js'), `import { test } from '${uvu}/dist/index.mjs';\nimport * as assert from '${uvu}/assert/index.mjs';\ntest('ok one', () => assert.is(1, 1));\ntest('totals add up', () => assert.is(2 + 2, 5, 'sum is off'));\ntest.run();\n`);
  execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: dir });
  const r = await run({ repo: dir });
  const d = r.data as { format: string; passed: number; failed: number; failures: { name: string; message: string }[] };
  assert.equal([d.format, d.passed, d.failed], ['uvu', 1, 1]);
  assert.equal(d.failures.map((f) => [f.name, f.message]), [['totals add up', 'sum is off']]);
});

test('a runner that writes JUnit XML (reports/junit.xml) is read from that file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-junit-'));
  const xml = '<testsuite tests="2"><testcase classname="cart" name="adds items"/><testcase classname="cart" name="applies VAT"><failure message="expected 12.00, got 10.00"/></testcase></testsuite>';
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: `mkdir -p reports && printf '%s' '${xml}' > reports/junit.xml && echo "2 tests, 1 failure" && exit 1` } }));
  execFileSync('sh', ['-c', 'git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init'], { cwd: dir });
  const r = await run({ repo: dir });
  const d = r.data as { format: string; passed: number; failed: number; failures: { name: string; message: string }[] };
  assert.equal([d.format, d.passed, d.failed], ['junit', 1, 1]);
  assert.match(r.summary, 'Failed: "cart > applies VAT": expected 12.00, got 10.00');
});

test.run();
