/** "Restart api-server": a rolling restart (kubectl rollout restart) of each Deployment meant, with approval. */
import { resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';

const VERBS = /\b(restart|re-start|bounce|recycle|reboot|kick|cycle|refresh|rolling restart|redeploy)\b/;

export const restart: Intent = {
  name: 'restart',
  effect: 'change',
  examples: ['restart api-server', 'bounce the placemyparents pods', 'do a rolling restart of the web tier', 'recycle api-server', 'kick placemyparents', 'restart the web tier'],
  match(raw) {
    const text = tidy(raw);
    if (!VERBS.test(text) || /\brestart(s|ing|ed)\b/.test(text) || /\b(if|when|whenever|more than|over)\b/.test(text)) return undefined;
    const rest = /\b(?:restart|re-start|bounce|recycle|reboot|kick|cycle|refresh|redeploy)\s+(?:of\s+)?(.+)$/.exec(text)?.[1];
    const phrase = objectPhrase(rest?.replace(/\b(rolling|restart|of|again|now|please)\b/g, ' '));
    return { score: 0.9, entities: { phrase } };
  },
  build(entities, facts, text) {
    const phrase = typeof entities.phrase === 'string' ? entities.phrase : undefined;
    const found = resolveTargets(text, phrase, facts);
    if (found.kind === 'question') return { intent: 'restart', steps: [], question: found.question };
    return { intent: 'restart', steps: found.targets.map((d, i) => step(`s${i + 1}`, 'restart', { name: d.name, namespace: d.namespace }, { mutates: true, why: `rolling restart of ${d.name}` })) };
  },
};
