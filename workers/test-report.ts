/** The shape every test-output parser returns, and the choice of parser for a run's output. */
import { parseTap } from './tap-parser.js';
import { parseUvu } from './uvu-parser.js';
import { parseNodeSpec } from './node-spec-parser.js';

export interface TestFailure {
  name: string;
  message: string;
  /** file:line where the runner says it failed, when it says */
  location?: string;
}

export interface TestReport {
  format: 'tap' | 'junit' | 'node-spec' | 'uvu';
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
}

/** At most this many failures are kept, each message at most this many characters (a report is read by people). */
export const MAX_FAILURES = 50;
export const MAX_MESSAGE_CHARS = 600;

export function clipMessage(text: string): string {
  const t = text.replace(/\r/g, '').trim();
  return t.length > MAX_MESSAGE_CHARS ? `${t.slice(0, MAX_MESSAGE_CHARS)}… (${t.length - MAX_MESSAGE_CHARS} more characters)` : t;
}

/** Recognises TAP (node --test's default off a terminal, tape), node's spec reporter and uvu; undefined when none fits. */
export function parseTestOutput(output: string): TestReport | undefined {
  if (/^TAP version \d+/m.test(output) || /^\s*(not )?ok \d+\b/m.test(output)) return parseTap(output);
  if (/^\s*ℹ tests \d+/m.test(output)) return parseNodeSpec(output);
  if (/^\s*Total:\s+\d+\s*$/m.test(output) && /^\s*Passed:\s+\d+\s*$/m.test(output)) return parseUvu(output);
  return undefined;
}
