/** "When main branch updates, test and deploy automatically": `automate` records the pipeline; github-webhook runs test → deploy → verify on each signed push. */
import { resolveTargets } from '../target-resolution.js';
import { step, tidy, type Intent } from './intent.js';

export const ciPipeline: Intent = {
  name: 'ci-pipeline',
  effect: 'change',
  examples: ['When main branch updates, test and deploy automatically', 'on every push to main, run the tests and deploy', 'set up continuous deployment from main', 'whenever staging changes, test and ship placemyparents'],
  match(raw) {
    const text = tidy(raw);
    const trigger = /\b(when|whenever|on every|on each|each time|every time)\b.*\b(updates?|changes?|push\w*|merge\w*|commits?)\b/.test(text) || /\bcontinuous (deployment|delivery|integration)\b|\bci\/?cd\b/.test(text);
    if (!trigger || !/\b(deploy|ship|release|test)\w*/.test(text)) return undefined;
    const branch = /\b([\w./-]+) branch\b/.exec(text)?.[1] ?? /\b(?:to|from|of) ([\w./-]+)\b/.exec(text)?.[1] ?? 'main';
    return { score: 0.95, entities: { branch: /^(the|a|my)$/.test(branch) ? 'main' : branch } };
  },
  build(entities, facts, text) {
    const found = resolveTargets(/\b(my|our|the) app\b/i.test(text) ? text : `${text} my app`, undefined, facts, { single: true });
    if (found.kind === 'question') return { intent: 'ci-pipeline', steps: [], question: found.question };
    const d = found.targets[0];
    if (!d) return { intent: 'ci-pipeline', steps: [], question: 'Which Deployment should a push deploy?' };
    return { intent: 'ci-pipeline', steps: [step('s1', 'automate', { what: 'ci', branch: entities.branch, name: d.name, namespace: d.namespace }, { mutates: true, why: `a signed push to ${String(entities.branch)} (github-webhook) runs tests, deploys ${d.name}, verifies` })] };
  },
};
