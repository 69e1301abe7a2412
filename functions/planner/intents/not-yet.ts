/**
 * Reads no tool answers yet — events, "what changed in the last hour" — get "I can't … yet" and what Ganglion can
 * show instead, rather than a different read passed off as the answer.
 */
import { mentionedDeployments } from '../target-resolution.js';
import { tidy, type Intent } from './intent.js';

export const notYet: Intent = {
  name: 'not-yet',
  effect: 'read',
  examples: ['show me the events for api-server', 'what changed in the last hour?'],
  match(raw) {
    const text = tidy(raw);
    if (/\bevents?\b/.test(text) && !/\b(alert|notify|when|whenever|if)\b/.test(text)) return { score: 0.8, entities: { what: 'events' } };
    if (/\bwhat(?:'s| has| have)? (?:changed|happened)\b|\b(?:recent|latest) changes\b|\bchanges? (?:in|over|during) the (?:last|past)\b/.test(text)) return { score: 0.8, entities: { what: 'changes' } };
    return undefined;
  },
  build(entities, facts, text) {
    if (entities.what === 'events') {
      const [d] = mentionedDeployments(text, facts.deployments);
      const of = d ? ` of ${d.name}` : '';
      const instead = d ? `why ${d.name}'s pods fail, with their warning events ("why is ${d.name} crashing?")` : 'the failing pods with their warning events ("list failing pods")';
      return { intent: 'not-yet', steps: [], question: `I can't show the events${of} yet; nothing was changed. I can show ${instead}.` };
    }
    return {
      intent: 'not-yet', steps: [],
      question: 'I can\'t list every change in the cluster yet (that needs the events tool); nothing was changed. I can show the changes Ganglion made (`ganglion audit`) and the rollouts and alerts of the week ("make an infrastructure report now").',
    };
  },
};
