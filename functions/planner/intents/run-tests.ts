/** "Run tests on the staging branch": a run-tests worker Job on that branch. */
import { step, tidy, type Intent } from './intent.js';

const BRANCH = [/\b(?:on|of|for|against|in)\s+(?:the\s+)?([\w./-]+)\s+branch\b/, /\bbranch\s+([\w./-]+)/, /\b(?:on|against)\s+([\w./-]+)$/, /\btest\s+([\w./-]+)$/, /\b([\w./-]+)\s+branch\b/];

export const runTests: Intent = {
  name: 'run-tests',
  examples: ['Run tests on the staging branch', 'test the staging branch', 'run the test suite on main', 'do the tests pass on staging?', 'run tests for branch feature/login'],
  match(raw) {
    const text = tidy(raw);
    if (/\bcoverage\b/.test(text) || /\bdeploy\b/.test(text)) return undefined;
    if (!/\b(tests?|test suite|specs?|ci)\b/.test(text)) return undefined;
    let branch: string | undefined;
    for (const re of BRANCH) {
      const b = re.exec(text)?.[1];
      if (b && !/^(the|all|my|our|suite|tests?|for|on|of|a|this|that)$/.test(b)) { branch = b; break; }
    }
    const asks = /\b(run|execute|start|kick off|do|does|are|pass|passing|green|test)\b/.test(text);
    return asks ? { score: branch ? 0.85 : 0.7, entities: { branch } } : undefined;
  },
  build(entities) {
    const input = typeof entities.branch === 'string' ? { branch: entities.branch } : {};
    return { intent: 'run-tests', steps: [step('s1', 'run-tests', input, { why: `a test Job checks out ${entities.branch ?? 'the default branch'} and runs the tests` })] };
  },
};
