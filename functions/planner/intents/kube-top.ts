/**
 * "which nodes are under memory pressure?", "top pods in apps", "which pods use the most memory?": one kube-top read
 * (usage from metrics.k8s.io, and the nodes' pressure conditions).
 */
import { namespaceHint } from '../target-resolution.js';
import { step, tidy, type Intent } from './intent.js';

const NODES = /\bnodes?\b.*\b(pressure|conditions?|memory|disk|pid|capacity|usage|load|cpu|busy|full)\b|\b(memory|disk|pid) pressure\b|\btop nodes?\b/;
const PODS = /\btop (?:pods?|containers?)\b|\b(?:pods?|containers?|workloads?|apps?)\b.*\b(?:use|using|uses|consum\w*|eat\w*|hog\w*)\b.*\b(memory|ram|cpu)\b|\b(?:memory|cpu|ram|resource) (?:usage|use|consumption) (?:of|by) (?:the )?pods?\b|\bheaviest pods?\b/;

export const kubeTop: Intent = {
  name: 'kube-top',
  effect: 'read',
  examples: ['which nodes are under memory pressure?', 'top pods in apps', 'which pods use the most memory?', 'any nodes with disk pressure?', 'cpu usage of the nodes'],
  match(raw) {
    const text = tidy(raw);
    if (/\b(alert|notify|when|whenever|if|every)\b/.test(text)) return undefined;
    if (PODS.test(text)) return { score: 0.85, entities: { what: 'pods', sortBy: /\bcpu\b/.test(text) && !/\b(memory|ram)\b/.test(text) ? 'cpu' : 'memory' } };
    if (NODES.test(text)) return { score: 0.85, entities: { what: 'nodes', ...(/\bcpu\b/.test(text) ? { sortBy: 'cpu' } : /\b(memory|ram) (usage|use)\b/.test(text) ? { sortBy: 'memory' } : {}) } };
    return undefined;
  },
  build(entities, facts, text) {
    if (entities.what === 'nodes') {
      return { intent: 'kube-top', steps: [step('s1', 'kube-top', { what: 'nodes', ...(entities.sortBy ? { sortBy: entities.sortBy } : {}) }, { why: 'the nodes\' usage and their memory, disk and PID pressure conditions' })] };
    }
    const namespace = namespaceHint(` ${tidy(text)} `, facts);
    return { intent: 'kube-top', steps: [step('s1', 'kube-top', { what: 'pods', ...(namespace ? { namespace } : {}), sortBy: entities.sortBy }, { why: `pods by ${String(entities.sortBy)} use, heaviest first` })] };
  },
};
