import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { groupPatterns } from './group-patterns.js';
import { categorise, signature } from './log-patterns.js';

/** Lines shaped to make a backtracking pattern rescan the rest of the line from every position. */
const HOSTILE: Record<string, (n: number) => string> = {
  'a bracketed prefix full of times': (n) => '[' + '12:34 '.repeat(n / 6),
  'a stack frame of open parentheses': (n) => '  at (' + 'at ('.repeat(n / 4),
  'a run of name characters with no .svc': (n) => 'error ' + 'a.'.repeat(n / 2),
  'an unclosed request line': (n) => 'error "GET /' + 'x'.repeat(n),
};

function analyse(lines: string[]): void {
  for (const line of lines) { categorise(line); signature(line); }
  groupPatterns([{ namespace: 'default', pod: 'p', container: 'c', previous: false, text: lines.join('\n') }], {});
}

/** The fastest of a few runs, in ms: one slow run (a GC, the other tests) must not decide. */
function fastest(work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}

for (const [shape, make] of Object.entries(HOSTILE)) {
  test(`a 100 KB line of ${shape} costs no more than ten 10 KB lines (linear, not quadratic)`, () => {
    const long = make(100_000);
    const short = Array.from({ length: 10 }, () => make(10_000));
    const longMs = fastest(() => analyse([long]));
    const shortMs = fastest(() => analyse(short));
    // Linear: the same bytes cost about the same. Quadratic would make the long line ~10× the short ones.
    assert.ok(longMs < Math.max(4 * shortMs, 50), `100 KB line ${longMs.toFixed(1)} ms vs 10 × 10 KB ${shortMs.toFixed(1)} ms`);
  });
}

test('a long line is still categorised and signed by what it starts with', () => {
  const line = `2024-05-01T10:00:00Z connect ECONNREFUSED 10.43.12.7:5432 ${'x'.repeat(100_000)}`;
  assert.is(categorise(line), 'connection-refused');
  assert.match(signature(line), /^connect ECONNREFUSED <ip>:<n> x+$/);
  assert.ok(signature(line).length <= 200);
});

test.run();
