/** Parses node --test's spec reporter (what a terminal shows): the ℹ counters and the "failing tests" section. */
import { clipMessage, MAX_FAILURES, type TestFailure, type TestReport } from './test-report.js';

export function parseNodeSpec(output: string): TestReport {
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split(/\r?\n/);
  const counter = (name: string) => {
    const line = lines.find((l) => new RegExp(`^\\s*ℹ ${name} \\d+`).test(l));
    return line ? Number(/\d+/.exec(line.replace(/^\s*ℹ \w+ /, ''))?.[0] ?? 0) : 0;
  };
  const failures: TestFailure[] = [];
  const start = lines.findIndex((l) => /^\s*✖ failing tests:/.test(l));
  if (start !== -1) {
    for (let i = start + 1; i < lines.length && failures.length < MAX_FAILURES; i++) {
      const at = /^\s*test at (.+)$/.exec(lines[i]!);
      const head = /^\s*✖ (.+?)(?: \([\d.]+m?s\))?\s*$/.exec(lines[at ? i + 1 : i] ?? '');
      if (!head) continue;
      if (at) i++;
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && !/^\s*(test at |✖ )/.test(lines[j]!); j++) if (lines[j]!.trim()) body.push(lines[j]!.trim());
      failures.push({ name: head[1]!, message: clipMessage(body.slice(0, 6).join('\n') || 'failed'), ...(at ? { location: at[1]!.trim() } : {}) });
    }
  }
  const skipped = counter('skipped') + counter('todo');
  return { format: 'node-spec', total: counter('tests'), passed: counter('pass'), failed: counter('fail') + counter('cancelled'), skipped, failures };
}
