/**
 * "Run the pod-health check now", "run the restarts monitor": one `monitor` step that checks an existing Monitor by
 * its name, now. Declarative: the monitor function evaluates the rule the Monitor object holds; nothing is generated.
 * A name that is not a Monitor is refused, naming the checks there are.
 */
import { GanglionError } from '../../../kernel/errors.js';
import type { CheckFact, ClusterFacts } from '../plan.js';
import { step, tidy, type Intent } from './intent.js';

const VERB = '(?:please )?(?:run|execute|trigger|perform|kick off|fire)';
const WHEN = '(?: (?:now|right now|again|immediately|once))?';
/** "run the X check", "run the X monitor now" */
const NAME_FIRST = new RegExp(`\\b${VERB} (?:the |my |our |a )?(.+?) (check|monitor)${WHEN}$`);
/** "run the check X", "run monitor X now" */
const NOUN_FIRST = new RegExp(`\\b${VERB} (?:the |my |our )?(check|monitor) (?:named |called )?([a-z0-9][-a-z0-9 ]*?)${WHEN}$`);
/** "run pod-health now": only when that is a check's name. */
const BARE = new RegExp(`\\b(?:${VERB}|check) (?:the )?([a-z0-9][-a-z0-9]*)(?: now| right now| again)$`);

const slug = (phrase: string) => phrase.trim().replace(/["']/g, '').replace(/\s+/g, '-');
const singular = (w: string) => w.replace(/s$/, '');

/** The check a phrase names: its name exactly, else the one check whose rule or name segments it names. */
export function resolveCheck(phrase: string, checks: CheckFact[]): { check?: CheckFact; candidates: CheckFact[] } {
  const want = slug(phrase);
  const exact = checks.find((c) => c.name === want);
  if (exact) return { check: exact, candidates: [exact] };
  const words = want.split('-').map(singular);
  const segments = (c: CheckFact) => c.name.split('-').map(singular);
  const candidates = checks.filter((c) => c.rule === want || singular(c.rule) === singular(want)
    || words.every((w) => segments(c).includes(w)));
  return candidates.length === 1 ? { check: candidates[0], candidates } : { candidates };
}

function known(checks: CheckFact[]): string {
  return checks.length
    ? `the checks there are: ${checks.map((c) => `${c.name} (${c.description}, ${c.schedule})`).join('; ')}`
    : 'there are no checks yet; set one up with e.g. "alert me if any pod restarts more than 3 times"';
}

export const runCheck: Intent = {
  name: 'run-check',
  effect: 'read',
  examples: ['run the pod-health check now', 'run the restarts monitor', 'trigger the node-not-ready check', 'run check pod-health'],
  match(raw, facts) {
    const text = tidy(raw);
    const checks = facts.checks ?? [];
    const m = NAME_FIRST.exec(text);
    const n = m ? undefined : NOUN_FIRST.exec(text);
    const phrase = m?.[1] ?? n?.[2];
    const noun = m?.[2] ?? n?.[1];
    if (phrase && noun) {
      if (resolveCheck(phrase, checks).check) return { score: 0.99, entities: { phrase } };
      // "…monitor" is never a new one to set up when it is to be run; "…check now" is a check to run. Anything
      // vaguer ("run a security check") is left to the intents that know it, and refused only when none does.
      const sure = noun === 'monitor' || /-/.test(phrase) || / (now|right now|again|immediately)$/.test(text);
      return { score: sure ? 0.96 : 0.5, entities: { phrase } };
    }
    const bare = BARE.exec(text)?.[1];
    if (bare && checks.some((c) => c.name === bare)) return { score: 0.99, entities: { phrase: bare } };
    return undefined;
  },
  build(entities, facts: ClusterFacts) {
    const phrase = String(entities.phrase ?? '');
    if (facts.checks === undefined) {
      throw new GanglionError(503, 'checks_unavailable', `I can't run the "${phrase}" check: the Monitor objects could not be read (${facts.checksUnavailable ?? 'not read'}); nothing was changed`);
    }
    const { check, candidates } = resolveCheck(phrase, facts.checks);
    if (!check && candidates.length > 1) {
      return { steps: [], question: `Which check: ${candidates.map((c) => `${c.name} (${c.description})`).join(', ')}?` };
    }
    if (!check) {
      throw new GanglionError(404, 'unknown_check', `I can't run the "${phrase}" check yet: no monitor is named that, so nothing was run or changed; ${known(facts.checks)}`);
    }
    return { intent: 'run-check', steps: [step('s1', 'monitor', { monitor: check.name }, { why: `check ${check.description} now (${check.name}, otherwise on ${check.schedule})` })] };
  },
};
