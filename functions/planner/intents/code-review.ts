/** "Review the latest commit": a code-review worker Job over the newest commit of the configured repository. */
import { step, tidy, type Intent } from './intent.js';

export const codeReview: Intent = {
  name: 'code-review',
  effect: 'run',
  examples: ['Review the latest commit', 'review the code', 'check the last commit for problems', 'do a code review of the newest commit', 'any issues in the latest commit?'],
  match(raw) {
    const text = tidy(raw);
    if (/\b(and|then)\b.*\bdeploy/.test(text)) return undefined;
    const review = /\b(review|audit|look over|check|inspect)\b/.test(text);
    const code = /\b(commit|commits|code|diff|change|changes|pr|pull request|push)\b/.test(text);
    if (/\bcode review\b/.test(text) || (review && code)) return { score: 0.85, entities: { branch: /\bon (?:the )?([\w./-]+) branch\b/.exec(text)?.[1] } };
    if (/\b(issues|problems|bugs|wrong)\b.*\b(latest|last|newest) commit\b/.test(text)) return { score: 0.9, entities: {} };
    return undefined;
  },
  build(entities) {
    const input = typeof entities.branch === 'string' ? { branch: entities.branch } : {};
    return { intent: 'code-review', steps: [step('s1', 'code-review', input, { why: 'a review Job reads the newest commit and reports findings with file:line' })] };
  },
};
