/**
 * The words of a command with its object names taken out: known Deployments, pods, namespaces and contexts, the
 * name after "called"/"named", and name-like tokens (frontend-test, feature/payments, nginx:1.27). An intent must
 * still recognise this text, so a name such as "frontend-test" or "notifier" is never read as "test" or "notify".
 */
import type { ClusterFacts } from '../plan.js';
import { tidy } from './intent.js';

/** What a masked name becomes: a word no intent keys on. */
export const NAME_MARK = 'obj';

/** Hyphenated words that are how people say things, not names. */
const PHRASES = new Set(['smoke-test', 're-start', 'pod-health', 'not-ready', 'node-not-ready', 'kick-off', 'roll-out', 'ci/cd', 'e-mail', 'set-up', 'follow-up']);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Names the facts know, longest first ("api-server" before "api"); spaced forms too ("api server"). */
function knownNames(facts: ClusterFacts): string[] {
  const names = new Set<string>();
  for (const d of facts.deployments) {
    names.add(d.name);
    if (d.name.includes('-')) names.add(d.name.replace(/-/g, ' '));
  }
  for (const p of facts.pods) names.add(p.name);
  for (const n of [...facts.namespaces, ...facts.contexts]) names.add(n);
  return [...names].filter((n) => n.length > 1).sort((a, b) => b.length - a.length);
}

export function maskNames(raw: string, facts: ClusterFacts): string {
  const checks = new Set((facts.checks ?? []).map((c) => c.name));
  let text = ` ${tidy(raw)} `;
  text = text.replace(/\b(called|named) ([^\s]+)/g, `$1 ${NAME_MARK}`);
  for (const name of knownNames(facts)) {
    text = text.replace(new RegExp(`(?<=[\\s"'(])${escape(name)}(?=['"\\s):])`, 'g'), NAME_MARK);
  }
  // name-like tokens: a hyphen, slash, colon, dot or '=' inside a word (2.0 and 5 stay: counts and versions are not names)
  text = text.replace(/(?<=\s)[^\s]*[a-z][^\s]*/g, (tok) => {
    const bare = tok.replace(/^["'(]+|["'),]+$/g, '').replace(/'s$/, '');
    if (!/[a-z0-9][-/:=.][a-z0-9]/.test(bare) || PHRASES.has(bare) || checks.has(bare)) return tok;
    return NAME_MARK;
  });
  return text.replace(/\s+/g, ' ').trim();
}
