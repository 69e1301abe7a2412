/** Parses JUnit XML (jest-junit, mocha-junit-reporter, node --test-reporter=junit): test cases, failures, errors, skips. */
import { clipMessage, MAX_FAILURES, type TestFailure, type TestReport } from './test-report.js';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ent: string) => {
      if (ent[0] === '#') return String.fromCodePoint(ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : Number(ent.slice(1)));
      return ENTITIES[ent] ?? whole;
    });
}

function attrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]!] = decodeXml(m[3] ?? m[4] ?? '');
  return out;
}

export function parseJunit(xml: string): TestReport {
  let passed = 0;
  let skipped = 0;
  let failed = 0;
  const failures: TestFailure[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const a = attrs(m[1]!);
    const body = m[2] ?? '';
    const name = a.classname && a.classname !== a.name ? `${a.classname} > ${a.name ?? ''}` : (a.name ?? '(unnamed)');
    const bad = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (bad) {
      failed++;
      if (failures.length < MAX_FAILURES) {
        const fa = attrs(bad[2]!);
        const message = fa.message || decodeXml(bad[3] ?? '').trim().split('\n')[0] || fa.type || bad[1]!;
        failures.push({ name, message: clipMessage(message), ...(a.file ? { location: a.line ? `${a.file}:${a.line}` : a.file } : {}) });
      }
    } else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
  return { format: 'junit', total: passed + failed + skipped, passed, failed, skipped, failures };
}
