import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { formatIssues, issueLines } from './zod-issues.js';

const test = suite('zod-issues');

const policy = z.object({ approve: z.array(z.object({ functions: z.array(z.string()) })), note: z.string().optional() });
const errorOf = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  assert.not.ok(parsed.success);
  return parsed.error!;
};

test('each issue is its dotted path and zod\'s message, joined by "; "', () => {
  const out = formatIssues(errorOf(policy, { approve: [{ functions: 'scale' }], note: 3 }));
  assert.is(out, 'approve.0.functions: Invalid input: expected array, received string; note: Invalid input: expected string, received number');
});

test('an issue about the whole value is named by the root label the caller gives, "(input)" when it gives none', () => {
  assert.is(formatIssues(errorOf(policy, 'nope')), '(input): Invalid input: expected object, received string');
  assert.is(formatIssues(errorOf(policy, 'nope'), { root: '(body)' }), '(body): Invalid input: expected object, received string');
});

test('a location goes before every path and names a whole-value issue; a limit keeps the first issues', () => {
  const wide = z.object({ a: z.number(), b: z.number(), c: z.number() });
  assert.equal(issueLines(errorOf(wide, {}), { at: 'steps[0].input', limit: 2 }), [
    'steps[0].input.a: Invalid input: expected number, received undefined',
    'steps[0].input.b: Invalid input: expected number, received undefined',
  ]);
  assert.equal(issueLines(errorOf(wide, 7), { at: 'steps[1].input' }), ['steps[1].input: Invalid input: expected object, received number']);
});

test.run();
