/**
 * "Run tests on the staging branch": a run-tests worker Job on that branch. "test placemyparents", "run the tests of
 * placemyparents": a Deployment's name is the app whose repository is tested (its ganglion.dev/repo annotation),
 * never a branch.
 */
import { mentionedDeployments } from '../target-resolution.js';
import { step, tidy, type Intent } from './intent.js';

const BRANCH = [
  /\b(?:on|of|for|against|in)\s+(?:the\s+)?([\w./-]+)\s+branch\b/, /\bbranch\s+([\w./-]+)/, /\b(?:on|against)\s+([\w./-]+)$/, /\btest\s+([\w./-]+)$/,
  /\b([\w./-]+)\s+branch\b/, /\btests?\s+(?:for|of)\s+(?:the\s+)?([\w./-]+)$/,
];
const NOT_A_BRANCH = /^(the|all|my|our|suite|tests?|for|on|of|a|this|that|it|app|code|repo|repository|unit|everything)$/;

export const runTests: Intent = {
  name: 'run-tests',
  effect: 'run',
  examples: ['Run tests on the staging branch', 'test the staging branch', 'run the test suite on main', 'do the tests pass on staging?', 'run tests for branch feature/login', 'run the unit tests for feature/payments', 'test placemyparents'],
  match(raw, facts) {
    const text = tidy(raw);
    if (/\bcoverage\b/.test(text) || /\bdeploy\b/.test(text)) return undefined;
    if (!/\b(tests?|test suite|specs?|ci)\b/.test(text)) return undefined;
    const apps = mentionedDeployments(text, facts.deployments);
    let branch: string | undefined;
    for (const re of BRANCH) {
      const b = re.exec(text)?.[1];
      if (b && !NOT_A_BRANCH.test(b) && !apps.some((d) => d.name === b)) { branch = b; break; }
    }
    const asks = /\b(run|execute|start|kick off|do|does|are|pass|passing|green|test)\b/.test(text);
    const app = apps.length === 1 ? apps[0] : undefined;
    return asks ? { score: branch || app ? 0.85 : 0.7, entities: { branch, app: app?.name, namespace: app?.namespace } } : undefined;
  },
  build(entities, facts) {
    const branch = typeof entities.branch === 'string' ? entities.branch : undefined;
    const app = facts.deployments.find((d) => d.name === entities.app && d.namespace === entities.namespace);
    if (app && !app.repo) {
      const withRepo = facts.deployments.filter((d) => d.repo).map((d) => d.name);
      return {
        intent: 'run-tests', steps: [],
        question: `I can't test ${app.name} yet: it names no git repository (annotation ganglion.dev/repo); nothing was run or changed.${withRepo.length ? ` I can run the tests of ${withRepo.join(', ')} ("test ${withRepo[0]}").` : ''}`,
      };
    }
    const input = { ...(app ? { app: app.name, namespace: app.namespace } : {}), ...(branch ? { branch } : {}) };
    const what = `${app ? `${app.name}'s repository, ` : ''}${branch ?? 'the default branch'}`;
    return { intent: 'run-tests', steps: [step('s1', 'run-tests', input, { why: `a test Job checks out ${what} and runs the tests` })] };
  },
};
