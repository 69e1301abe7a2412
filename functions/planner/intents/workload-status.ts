/**
 * Questions about one Deployment — "how many replicas does frontend have", "what version of placemyparents is
 * running", "is grafana up?": answered by one cluster-status read. (Describing, listing kinds and node pressure are
 * kube-get's and kube-top's: intents/kube-get.ts, intents/kube-top.ts.)
 */
import { resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';

const STATES = 'up|running|healthy|ready|ok|okay|alive|down|available|working|fine';
const ABOUT_ONE: RegExp[] = [
  /\bhow many (?:replicas|pods|instances|copies) (?:does|do|of|for|has|have|is|are) (?:the )?(.+?)(?: have| has| running| run| got)?$/,
  /\b(?:what|which) (?:version|image|tag|release)s? (?:of |is |does |do )?(?:the )?(.+?)(?: is| are)?(?: running| deployed| on| use| using| run)?$/,
  new RegExp(`^(?:is|are) (?:the )?(.+?) (?:${STATES})$`),
  /\b(?:details|status) (?:of|for|on) (?:the )?(.+)$/,
];
const NOT_A_NAME = /^(everything|all|things|it|the cluster|cluster|lab|my cluster|nodes?|pods)$/;

export const workloadStatus: Intent = {
  name: 'workload-status',
  effect: 'read',
  examples: ['how many replicas does frontend have', 'what version of placemyparents is running', 'is grafana up?', 'details of the frontend deployment'],
  match(raw) {
    const text = tidy(raw);
    for (const re of ABOUT_ONE) {
      const phrase = objectPhrase(re.exec(text)?.[1]?.replace(/\b(deployment|app|service|workload)s?\b/g, ' '));
      if (phrase && !NOT_A_NAME.test(phrase)) return { score: 0.85, entities: { phrase } };
    }
    return undefined;
  },
  build(entities, facts, text) {
    const found = resolveTargets(text, typeof entities.phrase === 'string' ? entities.phrase : undefined, facts, { single: true });
    if (found.kind === 'question') return { intent: 'workload-status', steps: [], question: found.question };
    const d = found.targets[0];
    if (!d) return { intent: 'workload-status', steps: [], question: 'Which Deployment do you mean?' };
    return { intent: 'workload-status', steps: [step('s1', 'cluster-status', { namespace: d.namespace, name: d.name }, { why: `${d.name}: replicas ready/desired, images, unhealthy pods` })] };
  },
};
