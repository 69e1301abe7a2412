/** The choice of parser for a run's output: TAP, node's spec reporter or uvu. */
import { parseNodeSpec } from './node-spec-parser.js';
import { parseTap } from './tap-parser.js';
import type { TestReport } from './test-report.js';
import { parseUvu } from './uvu-parser.js';

/** Recognises TAP (node --test's default off a terminal, tape), node's spec reporter and uvu; undefined when none fits. */
export function parseTestOutput(output: string): TestReport | undefined {
  if (/^TAP version \d+/m.test(output) || /^\s*(not )?ok \d+\b/m.test(output)) return parseTap(output);
  if (/^\s*ℹ tests \d+/m.test(output)) return parseNodeSpec(output);
  if (/^\s*Total:\s+\d+\s*$/m.test(output) && /^\s*Passed:\s+\d+\s*$/m.test(output)) return parseUvu(output);
  return undefined;
}
