/** "Check code coverage": a coverage worker Job; totals and the least-covered files. */
import { step, tidy, type Intent } from './intent.js';

export const coverage: Intent = {
  name: 'coverage',
  effect: 'run',
  examples: ['Check code coverage', "what's our test coverage?", 'measure coverage on staging', 'coverage report please', 'how much of the code is covered by tests'],
  match(raw) {
    const text = tidy(raw);
    if (!/\bcover(age|ed)\b/.test(text)) return undefined;
    const branch = /\b(?:on|of|for)\s+(?:the\s+)?([\w./-]+?)(?:\s+branch)?$/.exec(text)?.[1];
    return { score: 0.9, entities: { branch: branch && !/^(tests|code|it)$/.test(branch) ? branch : undefined } };
  },
  build(entities) {
    const input = typeof entities.branch === 'string' ? { branch: entities.branch } : {};
    return { intent: 'coverage', steps: [step('s1', 'coverage', input, { why: 'a Job runs the tests with coverage and reads the summary' })] };
  },
};
