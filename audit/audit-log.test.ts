import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAudit, auditFile, readAudit } from './audit-log.js';

const base = { client: 'ganglion-cli', runId: 'r1', stepId: 's1', verb: 'scale', object: 'deployment/frontend', namespace: 'web', cluster: 'ganglion-sim', before: { replicas: 2 }, after: { replicas: 5 } };

test('appends one JSON line per record, never rewriting earlier ones', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  appendAudit(home, { ...base, result: 'attempt', time: '2026-11-25T10:00:00.000Z' });
  const first = readFileSync(auditFile(home), 'utf8');
  appendAudit(home, { ...base, result: 'applied', time: '2026-11-25T10:00:01.000Z' });
  const text = readFileSync(auditFile(home), 'utf8');
  assert.ok(text.startsWith(first));
  assert.is(text.trim().split('\n').length, 2);
  assert.equal(JSON.parse(text.trim().split('\n')[1] ?? ''), { time: '2026-11-25T10:00:01.000Z', ...base, result: 'applied' });
});

test('readAudit filters by since and skips a torn last line', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  appendAudit(home, { ...base, result: 'attempt', time: '2026-11-24T10:00:00.000Z' });
  appendAudit(home, { ...base, result: 'applied', time: '2026-11-25T10:00:00.000Z' });
  appendFileSync(auditFile(home), '{"time":"2026-11-25T11:00');
  assert.is(readAudit(home).length, 2);
  assert.equal(readAudit(home, { since: '2026-11-25T00:00:00Z' }).map((r) => r.result), ['applied']);
  assert.throws(() => readAudit(home, { since: 'yesterday-ish' }), /not a time/);
});

test('an absent log reads as empty', () => {
  assert.equal(readAudit(mkdtempSync(path.join(os.tmpdir(), 'g-'))), []);
});

test.run();
