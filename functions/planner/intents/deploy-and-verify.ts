/**
 * "Deploy my app and verify it works": deploy (with approval), then a verify Job once the rollout is done; if verify
 * fails, the image that served before is put back and verified, under the same approval (verify-or-undo.ts).
 */
import { deployEntities, planDeploy } from './deploy.js';
import { tidy, type Intent } from './intent.js';
import { undoConclusion, verifyOrUndo } from './verify-or-undo.js';

const VERIFY = /\b(verify|check|make sure|confirm|test|smoke[- ]?test)\b.*\b(works?|working|healthy|ok|okay|fine|it|up)\b|\b(and|then) (verify|smoke[- ]?test|test it|check it)\b/;

export const deployAndVerify: Intent = {
  name: 'deploy-and-verify',
  effect: 'change',
  examples: ['Deploy my app and verify it works', 'deploy placemyparents 2.0 and check it works', 'ship v2.0 of placemyparents then smoke test it', 'roll out placemyparents 2.0 and make sure it is healthy', 'deploy my app version 2.0 and verify'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(deploy|ship|release|roll ?out|upgrade)\b/.test(text) || !VERIFY.test(text)) return undefined;
    if (/\b(review|if (it'?s )?good|if ok|if it passes|whenever|every time|each time|on every)\b/.test(text)) return undefined;
    return { score: 0.9, entities: deployEntities(text.replace(/\b(and|then)\b.*$/, '')) };
  },
  build(entities, facts, text) {
    const planned = planDeploy({ ...entities, everywhere: undefined }, facts, text.replace(/\b(and|then)\b.*$/i, ''), 1, { redeploy: true });
    if (planned.kind === 'question') return { intent: 'deploy-and-verify', steps: [], question: planned.question };
    const [first] = planned.steps;
    if (!first) return { intent: 'deploy-and-verify', steps: [], question: `Which version of ${planned.target.name} should I deploy?` };
    return { intent: 'deploy-and-verify', steps: [...planned.steps, ...verifyOrUndo(first, planned.target, { verify: 's2', undo: 's3', reverify: 's4' })] };
  },
  followUp(entities, facts, text, results, plan) {
    const name = plan.steps[0]?.input.name;
    const conclusion = undoConclusion(plan, results, { name: typeof name === 'string' ? name : 'the app' });
    return conclusion ? { intent: 'deploy-and-verify', steps: [], conclusion } : undefined;
  },
};
