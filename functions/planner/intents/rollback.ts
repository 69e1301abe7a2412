/** "Roll back the last deployment": undo the most recent rollout (or a named one) the way kubectl rollout undo does. */
import { mentionedDeployments, resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';

const VERBS = /\b(roll ?back|rollback|undo|revert|go back|downgrade|back out)\b/;
/** "the last deployment", "the latest rollout": no name, the rollback function finds the most recent one. */
const WHICHEVER = /\b(last|latest|most recent|previous|newest|recent|that|it)\b/g;
const WHICHEVER_TEST = /\b(last|latest|most recent|newest|recent)\b/;
const NOUNS = /\b(deploy\w*|roll ?outs?|releases?|changes?|updates?|upgrades?|versions?|one|to|back|please|now|image)\b/g;

export const rollback: Intent = {
  name: 'rollback',
  effect: 'change',
  examples: ['Roll back the last deployment', 'undo the last rollout', 'revert the latest deploy', 'roll back placemyparents', 'go back to the previous version of placemyparents', 'rollback api-server in apps'],
  match(raw) {
    const text = tidy(raw);
    // "roll back the canary" ends the canary (canary.ts), it does not undo a rollout
    if (!VERBS.test(text) || /\bcanar(y|ies)\b/.test(text)) return undefined;
    const rest = text.replace(/^.*?\b(roll ?back|rollback|undo|revert|go back|downgrade|back out)\b/, '').replace(/\b(?:in|from)\s+(?:the\s+)?(?:namespace\s+)?[a-z0-9-]+(?:\s+namespace)?$/, '');
    const phrase = objectPhrase(rest.replace(WHICHEVER, ' ').replace(NOUNS, ' '));
    return { score: 0.95, entities: { phrase } };
  },
  build(entities, facts, text) {
    const named = mentionedDeployments(text, facts.deployments).length > 0;
    const ofPhrase = objectPhrase(/\bof\s+(?:the\s+)?([a-z0-9][\w-]*)/.exec(tidy(text))?.[1]);
    // "the last deployment broke things": with last/latest and no name, the object is whichever rolled out last.
    const phrase = typeof entities.phrase === 'string' && !(WHICHEVER_TEST.test(tidy(text)) && !named) ? entities.phrase : ofPhrase;
    if (!phrase && !named) {
      return { intent: 'rollback', steps: [step('s1', 'rollback', {}, { mutates: true, why: 'undo the most recent rollout across namespaces' })] };
    }
    const found = resolveTargets(text, phrase, facts, { single: true });
    if (found.kind === 'question') return { intent: 'rollback', steps: [], question: found.question };
    const d = found.targets[0];
    if (!d) return { intent: 'rollback', steps: [step('s1', 'rollback', {}, { mutates: true })] };
    return { intent: 'rollback', steps: [step('s1', 'rollback', { name: d.name, namespace: d.namespace }, { mutates: true, why: `undo ${d.name}'s last rollout` })] };
  },
};
