/** Parses TAP 13/14 as node --test and tape write it: test points, nested subtests, YAML diagnostics, node's # counters. */
import { parse as parseYaml } from 'yaml';
import { clipMessage, MAX_FAILURES, type TestFailure, type TestReport } from './test-report.js';

const POINT = /^(\s*)(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const COUNTER = /^# (tests|pass|fail|skipped|todo|cancelled) (\d+)\s*$/;

interface Point { depth: number; ok: boolean; name: string; directive: string; yaml: Record<string, unknown> }

function splitDirective(desc: string): { name: string; directive: string } {
  const m = /^(.*?)\s*#\s*(SKIP|TODO)\b(.*)$/i.exec(desc);
  return m ? { name: m[1]!.trim(), directive: m[2]!.toUpperCase() } : { name: desc.trim(), directive: '' };
}

function readYaml(lines: string[], from: number, indent: string): { yaml: Record<string, unknown>; next: number } {
  if (lines[from]?.trim() !== '---') return { yaml: {}, next: from };
  const body: string[] = [];
  let i = from + 1;
  for (; i < lines.length && lines[i]!.trim() !== '...'; i++) body.push(lines[i]!.slice(indent.length + 2));
  try {
    const parsed: unknown = parseYaml(body.join('\n'));
    return { yaml: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}, next: i + 1 };
  } catch {
    // A diagnostic block that is not YAML is still a block: skip it, keep the test point.
    return { yaml: { error: body.join('\n') }, next: i + 1 };
  }
}

function messageOf(yaml: Record<string, unknown>): string {
  const err = yaml.error ?? yaml.message;
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  if ('expected' in yaml || 'actual' in yaml) return `expected ${JSON.stringify(yaml.expected)}, got ${JSON.stringify(yaml.actual)}`;
  return 'failed (the runner gave no message)';
}

export function parseTap(output: string): TestReport {
  const lines = output.split(/\r?\n/);
  const points: Point[] = [];
  const names: string[] = [];
  const counters: Record<string, number> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const sub = SUBTEST.exec(line);
    if (sub) {
      const depth = Math.floor(sub[1]!.length / 4);
      names.length = depth;
      names[depth] = sub[2]!.trim();
      continue;
    }
    const counter = COUNTER.exec(line);
    if (counter) { counters[counter[1]!] = Number(counter[2]); continue; }
    const p = POINT.exec(line);
    if (!p) continue;
    const depth = Math.floor(p[1]!.length / 4);
    const { name, directive } = splitDirective(p[4]!);
    const { yaml, next } = readYaml(lines, i + 1, p[1]!);
    i = next - 1;
    const path = [...names.slice(0, depth), name].filter(Boolean).join(' > ');
    points.push({ depth, ok: p[2] === 'ok', name: path || `test ${p[3] ?? points.length + 1}`, directive, yaml });
  }
  // A parent whose children failed fails too; only the leaves say what went wrong.
  const leaves = points.filter((pt) => pt.yaml.failureType !== 'subtestsFailed' && pt.yaml.type !== 'suite');
  const failures: TestFailure[] = leaves
    .filter((pt) => !pt.ok && pt.directive !== 'TODO')
    .slice(0, MAX_FAILURES)
    .map((pt) => ({ name: pt.name, message: clipMessage(messageOf(pt.yaml)), ...(typeof pt.yaml.location === 'string' ? { location: pt.yaml.location } : {}) }));
  if (counters.tests !== undefined && counters.pass !== undefined) {
    const skipped = (counters.skipped ?? 0) + (counters.todo ?? 0);
    const failed = (counters.fail ?? 0) + (counters.cancelled ?? 0);
    return { format: 'tap', total: counters.tests, passed: counters.pass, failed, skipped, failures };
  }
  const top = points.filter((pt) => pt.depth === 0);
  const skipped = top.filter((pt) => pt.directive === 'SKIP' || pt.directive === 'TODO').length;
  const failed = top.filter((pt) => !pt.ok && pt.directive !== 'TODO').length;
  return { format: 'tap', total: top.length, passed: top.length - skipped - failed, failed, skipped, failures };
}
