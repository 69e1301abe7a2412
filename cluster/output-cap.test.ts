import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { capOutput } from './output-cap.js';

test('text within the budget is unchanged; longer text keeps whole head lines and says how much was left out', () => {
  assert.equal(capOutput('a\nb\n'), { text: 'a\nb', droppedLines: 0, droppedBytes: 0 });
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n');
  const byLines = capOutput(lines, { maxLines: 3, narrow: 'ask for less' });
  assert.is(byLines.text, 'line 0\nline 1\nline 2\n[… trimmed: 7 more lines (48 bytes) not shown; ask for less]');
  const byBytes = capOutput(lines, { maxBytes: 15 });
  assert.is(byBytes.droppedLines, 8);
  assert.ok(byBytes.text.startsWith('line 0\nline 1\n[… trimmed: 8 more lines'));
});

test.run();
