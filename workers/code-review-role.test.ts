import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeReviewRole, REVIEW_LIMITS } from './code-review-role.js';
import { PLANTED_SECRET } from './demo-repo.js';
import { demoRepo, recordingIo } from './role-harness.js';
import type { Finding } from './review-checks.js';

const repo = demoRepo();
type ReviewData = { verdict: string; findings: Finding[]; truncated: boolean; notes: string[]; files: { changed: number; reviewed: number; binary: string[] }; commit: { subject: string } };

test('the planted secret is found at its file and line, and the verdict asks for changes', async () => {
  const r = await codeReviewRole({ repo, branch: PLANTED_SECRET.branch, timeoutMs: 60_000 }, recordingIo());
  const d = r.data as ReviewData;
  assert.is(d.verdict, 'request-changes');
  const secret = d.findings.find((f) => f.rule.startsWith('secret/'));
  assert.equal([secret?.severity, secret?.file, secret?.line], ['high', PLANTED_SECRET.file, PLANTED_SECRET.line]);
  assert.match(r.summary, `Review: request-changes — commit`);
  assert.match(r.summary, `[high] ${PLANTED_SECRET.file}:${PLANTED_SECRET.line} AWS access key id committed`);
  assert.not.match(JSON.stringify(r), 'AKIAJ7Q3XK5M2VPLRT4N');
});

test('the clean newest commit of main is approved', async () => {
  const r = await codeReviewRole({ repo, timeoutMs: 60_000 }, recordingIo());
  assert.is((r.data as ReviewData).verdict, 'approve');
  assert.match(r.summary, /^Review: approve — commit [0-9a-f]{7} "Match parents to the cheapest home with a free bed" — no findings\.$/);
});

test('a huge commit with a binary file is reviewed within bounds: the diff is cut, the binary and the large file named', async () => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
  git('checkout', '-q', '-b', 'huge', 'main');
  writeFileSync(path.join(repo, 'blob.bin'), randomBytes(2 * 1024 * 1024));
  writeFileSync(path.join(repo, 'data.js'), Array.from({ length: 60_000 }, (_, i) => `export const v${i} = ${i};`).join('\n'));
  git('add', '-A');
  git('commit', '-qm', 'vendor everything');
  git('checkout', '-q', 'main');
  const r = await codeReviewRole({ repo, branch: 'huge', timeoutMs: 60_000 }, recordingIo());
  const d = r.data as ReviewData;
  assert.is(d.truncated, true);
  assert.match(d.notes.join(' '), `diff larger than ${REVIEW_LIMITS.diffBytes} bytes`);
  assert.equal(d.files.binary, ['blob.bin']);
  assert.ok(d.findings.some((f) => f.rule === 'binary-file' && f.file === 'blob.bin'));
  const rules = d.findings.map((f) => `${f.rule} ${f.file}`);
  assert.ok(rules.includes('large-file blob.bin'), rules.join(', '));
  assert.ok(rules.includes('large-file data.js'), rules.join(', '));
  assert.is(d.verdict, 'request-changes');
});

test.run();
