/** Parses uvu's console output (no colours off a terminal): the FAIL blocks and the Total/Passed/Skipped lines. */
import { clipMessage, MAX_FAILURES, type TestFailure, type TestReport } from './test-report.js';

const FAIL = /^\s*FAIL\s+(?:(\S.*?)\s+)?"(.*)"\s*$/;

export function parseUvu(output: string): TestReport {
  const clean = output.replace(/\u001b\[[0-9;]*m/g, '');
  const lines = clean.split(/\r?\n/);
  const count = (label: string) => lines.reduce((sum, l) => {
    const m = new RegExp(`^\\s*${label}:\\s+(\\d+)\\s*$`).exec(l);
    return m ? sum + Number(m[1]) : sum;
  }, 0);
  const failures: TestFailure[] = [];
  for (let i = 0; i < lines.length && failures.length < MAX_FAILURES; i++) {
    const m = FAIL.exec(lines[i]!);
    if (!m) continue;
    const message = (lines[i + 1] ?? '').trim().replace(/\s+\((\w+)\)$/, '');
    const at = lines.slice(i + 1, i + 30).map((l) => /\((file:\/\/)?([^()]+\.[cm]?[jt]s):(\d+):\d+\)/.exec(l)).find((x) => x && !x[2]!.includes('node_modules'));
    failures.push({ name: m[1] ? `${m[1]} > ${m[2]}` : m[2]!, message: clipMessage(message || 'failed'), ...(at ? { location: `${at[2]}:${at[3]}` } : {}) });
  }
  // uvu's Total counts the tests that ran; skipped ones are reported apart.
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  return { format: 'uvu', total: total + skipped, passed, failed: Math.max(0, total - passed), skipped, failures };
}
