/** "Roll back the last deployment": undo the most recent rollout (or a named one) the way kubectl rollout undo does. */
import { mentionedDeployments, resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';

// "roll the last deploy back" too: a few words between roll and back
const VERBS = /\b(roll ?back|rollback|undo|revert|go back|downgrade|back out|roll(?: [\w-]+){1,4} back)\b/;
/** "… in apps", "… from the staging namespace": the namespace to look in when no Deployment is named. */
const IN_NAMESPACE = /\b(?:in|from)\s+(?:the\s+)?(?:namespace\s+)?([a-z0-9-]+)(?:\s+namespace)?$/;
/** "the last deployment", "the latest rollout": no name, the rollback function finds the most recent one. */
const WHICHEVER = /\b(last|latest|most recent|previous|newest|recent|that|it)\b/g;
const WHICHEVER_TEST = /\b(last|latest|most recent|newest|recent)\b/;
const NOUNS = /\b(deploy\w*|roll ?outs?|releases?|changes?|updates?|upgrades?|versions?|one|to|back|please|now|image)\b/g;
/** A word that points at a rollout ("last", "deployment"), never the name of one. */
const isWhichever = (word: string): boolean => word.replace(WHICHEVER, '').replace(NOUNS, '').trim() === '';

export const rollback: Intent = {
  name: 'rollback',
  effect: 'change',
  examples: ['Roll back the last deployment', 'undo the last rollout', 'revert the latest deploy', 'roll back placemyparents', 'go back to the previous version of placemyparents', 'rollback api-server in apps'],
  match(raw) {
    const text = tidy(raw);
    // "roll back the canary" ends the canary (canary.ts), it does not undo a rollout
    if (!VERBS.test(text) || /\bcanar(y|ies)\b/.test(text)) return undefined;
    const rest = text.replace(new RegExp(`^.*?${VERBS.source}`), '').replace(IN_NAMESPACE, '');
    const phrase = objectPhrase(rest.replace(WHICHEVER, ' ').replace(NOUNS, ' '));
    return { score: 0.95, entities: { phrase } };
  },
  build(entities, facts, text) {
    const named = mentionedDeployments(text, facts.deployments).length > 0;
    // "the latest version of placemyparnts": the word after "of", unless it is "last", "deployment" and the like
    const ofWord = /\bof\s+(?:the\s+)?([a-z0-9][\w-]*)/.exec(tidy(text))?.[1];
    const ofPhrase = ofWord && !isWhichever(ofWord) ? objectPhrase(ofWord) : undefined;
    // "the last deployment broke things": with last/latest and no name, the object is whichever rolled out last.
    const phrase = typeof entities.phrase === 'string' && !(WHICHEVER_TEST.test(tidy(text)) && !named) ? entities.phrase : ofPhrase;
    if (!phrase && !named) {
      const namespace = IN_NAMESPACE.exec(tidy(text))?.[1];
      if (namespace && facts.namespaces.includes(namespace)) {
        return { intent: 'rollback', steps: [step('s1', 'rollback', { namespace }, { mutates: true, why: `undo the most recent rollout in namespace ${namespace}` })] };
      }
      return { intent: 'rollback', steps: [step('s1', 'rollback', {}, { mutates: true, why: 'undo the most recent rollout across namespaces' })] };
    }
    const found = resolveTargets(text, phrase, facts, { single: true });
    if (found.kind === 'question') return { intent: 'rollback', steps: [], question: found.question };
    const d = found.targets[0];
    if (!d) return { intent: 'rollback', steps: [step('s1', 'rollback', {}, { mutates: true })] };
    return { intent: 'rollback', steps: [step('s1', 'rollback', { name: d.name, namespace: d.namespace }, { mutates: true, why: `undo ${d.name}'s last rollout` })] };
  },
};
