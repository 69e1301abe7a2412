import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportLine, safeParseTrivyReport } from './trivy-report.js';

const fixture = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../functions/security-audit/trivy-report.fixture.json'), 'utf8');

test('a Trivy image report yields every vulnerability from OS and language targets, most severe first', () => {
  const r = safeParseTrivyReport(fixture);
  if (!r.ok) throw new Error(r.error);
  assert.is(r.value.artifact, 'alpine:3.19.1');
  assert.equal(r.value.vulnerabilities.map((v) => `${v.severity} ${v.id} ${v.pkg}`), [
    'critical CVE-2024-5535 libcrypto3',
    'high CVE-2023-42363 busybox',
    'high GHSA-3h5v-q93c-6h6q ws',
    'medium CVE-2024-2511 libssl3',
    'low CVE-2024-29041 express',
  ]);
  assert.equal(r.value.counts, { critical: 1, high: 2, medium: 1, low: 1, unknown: 0 });
  const ws = r.value.vulnerabilities.find((v) => v.pkg === 'ws');
  assert.equal({ installed: ws?.installed, fixed: ws?.fixed, target: ws?.target }, { installed: '8.16.0', fixed: '8.17.1, 7.5.10', target: 'app/package-lock.json' });
});

test('the report line counts by severity and says which package to upgrade, or that no fix exists', () => {
  const r = safeParseTrivyReport(`2026-11-20T09:12:40Z INFO downloading DB\n${fixture}\n`);
  if (!r.ok) throw new Error(r.error);
  const line = reportLine('alpine:latest', r.value);
  assert.match(line, /^alpine:latest: 1 critical, 2 high, 1 medium, 1 low \(CVE-2024-5535 in libcrypto3 3\.1\.4-r5 → 3\.1\.6-r0, CVE-2023-42363 in busybox 1\.36\.1-r15 \(no fix yet\)/);
});

test('a clean image and a broken report are told apart', () => {
  const clean = safeParseTrivyReport(JSON.stringify({ SchemaVersion: 2, ArtifactName: 'busybox:1.36', Results: [{ Target: 'busybox', Class: 'os-pkgs' }] }));
  assert.ok(clean.ok && reportLine('busybox:1.36', clean.value) === 'busybox:1.36: no known vulnerabilities');
  const broken = safeParseTrivyReport('FATAL image scan error: unable to find the specified image');
  assert.equal(broken, { ok: false, error: 'the scanner printed no JSON report' });
  const wrong = safeParseTrivyReport('{"Results": {"a": 1}}');
  assert.is(wrong.ok, false);
});

test.run();
