import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTap } from './tap-parser.js';
import { parseTestOutput } from './parse-test-output.js';

const NODE_TAP = `TAP version 13
# Subtest: pricing
    # Subtest: weekday
    ok 1 - weekday
      ---
      duration_ms: 0.4
      ...
    # Subtest: weekend
    not ok 2 - weekend
      ---
      duration_ms: 1.2
      location: '/repo/test/pricing.test.js:9:3'
      failureType: 'testCodeFailure'
      error: |-
        weekend surcharge should be 10%

        120 !== 110
      code: 'ERR_ASSERTION'
      ...
    1..2
not ok 1 - pricing
  ---
  duration_ms: 2
  type: 'suite'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  ...
# Subtest: later
ok 2 - later # SKIP
  ---
  duration_ms: 0.1
  ...
1..2
# tests 3
# suites 1
# pass 1
# fail 1
# cancelled 0
# skipped 1
# todo 0
`;

test('node --test TAP: counts from its # counters, the failing leaf named with its suite and its assertion message', () => {
  const r = parseTap(NODE_TAP);
  assert.equal([r.total, r.passed, r.failed, r.skipped], [3, 1, 1, 1]);
  assert.equal(r.failures, [{ name: 'pricing > weekend', message: 'weekend surcharge should be 10%\n\n120 !== 110', location: '/repo/test/pricing.test.js:9:3' }]);
});

test('plain TAP (tape) without counters: top-level points counted, SKIP and TODO directives honoured', () => {
  const r = parseTap('TAP version 13\nok 1 adds\nnot ok 2 subtracts\n  ---\n  message: should be equal\n  ...\nok 3 later # SKIP not yet\nnot ok 4 idea # TODO\n1..4\n');
  assert.equal([r.total, r.passed, r.failed, r.skipped], [4, 1, 1, 2]);
  assert.equal(r.failures, [{ name: 'subtracts', message: 'should be equal' }]);
});

test('parseTestOutput recognises TAP and gives up on text that is no test report', () => {
  assert.is(parseTestOutput(NODE_TAP)?.format, 'tap');
  assert.is(parseTestOutput('Compiling…\nall good\n'), undefined);
});

test.run();
