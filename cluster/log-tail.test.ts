import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitLogSections, tailToBytes } from './log-tail.js';

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';

test('text within the budget is returned whole', () => {
  assert.equal(tailToBytes('a\nb\n', 100), { text: 'a\nb\n', droppedBytes: 0 });
});

test('a long log keeps its newest lines, starts on a line boundary and says what was cut', () => {
  const out = tailToBytes(lines(1000), 200);
  const body = out.text.split('\n').slice(1).join('\n');
  assert.ok(Buffer.byteLength(body) <= 200);
  assert.ok(body.endsWith('line 1000\n'));
  assert.match(body, /^line \d+\n/);
  assert.match(out.text, /^\[… truncated: \d+ earlier bytes \(\d+ lines\) not shown/);
  assert.ok(out.droppedBytes > 0);
});

test('multi-byte characters are never split', () => {
  const out = tailToBytes('é'.repeat(100), 11);
  assert.not.match(out.text, /\uFFFD/);
});

test('sections share the 16 KB budget: a short section stays whole, long ones are cut to fit', () => {
  const out = fitLogSections([
    { title: 'container api (previous)', text: lines(2000, 'prev') },
    { title: 'container sidecar', text: 'ok\n' },
    { title: 'container api (current)', text: lines(2000, 'cur') },
  ], 16 * 1024);
  assert.is(out[1]!.text, 'ok\n');
  assert.is(out[1]!.droppedBytes, 0);
  const total = out.reduce((n, s) => n + Buffer.byteLength(s.text) - (s.droppedBytes ? Buffer.byteLength(s.text.split('\n')[0]!) + 1 : 0), 0);
  assert.ok(total <= 16 * 1024, `total ${total}`);
  assert.ok(out[0]!.text.endsWith('prev 2000\n'));
  assert.ok(out[2]!.text.endsWith('cur 2000\n'));
  assert.ok(out[0]!.lines > 300 && out[0]!.lines < 2000);
});

test.run();
