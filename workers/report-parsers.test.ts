import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJunit } from './junit-parser.js';
import { parseUvu } from './uvu-parser.js';
import { parseNodeSpec } from './node-spec-parser.js';
import { parseTestOutput } from './parse-test-output.js';

test('JUnit XML: cases, failures with their message attribute, errors, skipped, entities decoded', () => {
  const xml = `<?xml version="1.0"?><testsuites><testsuite name="api" tests="4" failures="1" errors="1" skipped="1">
  <testcase classname="api" name="lists homes" time="0.01"/>
  <testcase classname="api" name="prices &amp; taxes" file="test/api.test.js" line="12"><failure message="expected 110 &lt; 120" type="AssertionError">stack…</failure></testcase>
  <testcase classname="api" name="talks to db"><error type="Error"><![CDATA[connect ECONNREFUSED 127.0.0.1:5432
   at x]]></error></testcase>
  <testcase classname="api" name="later"><skipped/></testcase>
</testsuite></testsuites>`;
  const r = parseJunit(xml);
  assert.equal([r.total, r.passed, r.failed, r.skipped], [4, 1, 2, 1]);
  assert.equal(r.failures, [
    { name: 'api > prices & taxes', message: 'expected 110 < 120', location: 'test/api.test.js:12' },
    { name: 'api > talks to db', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
  ]);
});

// uvu's real output (colours off), as `node test/x.test.js` prints it off a terminal
const UVU = `• ✘   (1 / 2)

   FAIL  "breaks"
    one is not two  (is)

        ++2    (Expected)
        --1    (Actual)

    at assert (file:///repo/node_modules/uvu/assert/index.mjs:33:8)
    at Object.handler (file:///repo/test/a.test.mjs:4:31)


  Total:     2
  Passed:    1
  Skipped:   1
  Duration:  8.61ms
`;

test('uvu: Total/Passed/Skipped, the FAIL block gives name, message and the test file line', () => {
  const r = parseUvu(UVU);
  assert.equal([r.total, r.passed, r.failed, r.skipped], [3, 1, 1, 1]);
  assert.equal(r.failures, [{ name: 'breaks', message: 'one is not two', location: '/repo/test/a.test.mjs:4' }]);
  assert.is(parseTestOutput(UVU)?.format, 'uvu');
});

const SPEC = `✔ adds numbers (1.2ms)
✖ subtracts numbers (2.1ms)
  AssertionError [ERR_ASSERTION]: sub should subtract
﹣ skipped one (0.3ms) # SKIP
ℹ tests 3
ℹ suites 0
ℹ pass 1
ℹ fail 1
ℹ cancelled 0
ℹ skipped 1
ℹ todo 0
ℹ duration_ms 61.2

✖ failing tests:

test at test/math.test.js:5:1
✖ subtracts numbers (2.1ms)
  AssertionError [ERR_ASSERTION]: sub should subtract
  3 !== 4
`;

test('node --test spec reporter: ℹ counters and the failing-tests section with location', () => {
  const r = parseNodeSpec(SPEC);
  assert.equal([r.total, r.passed, r.failed, r.skipped], [3, 1, 1, 1]);
  assert.equal(r.failures, [{ name: 'subtracts numbers', message: 'AssertionError [ERR_ASSERTION]: sub should subtract\n3 !== 4', location: 'test/math.test.js:5:1' }]);
  assert.is(parseTestOutput(SPEC)?.format, 'node-spec');
});

test.run();
