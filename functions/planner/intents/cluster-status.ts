/** "Show me cluster status": one read of nodes, namespaces, workloads and pods. */
import { step, tidy, type Intent } from './intent.js';

export const clusterStatus: Intent = {
  name: 'cluster-status',
  effect: 'read',
  examples: ['Show me cluster status', "how's the cluster doing", 'give me an overview of the cluster', 'cluster health', 'is everything ok', 'what is running on my cluster', 'status of the nodes'],
  match(raw) {
    const text = tidy(raw);
    let score = 0;
    if (/\bcluster\b/.test(text) && /\b(status|health|healthy|overview|summary|state|doing|look|looking|up)\b/.test(text)) score = 0.9;
    else if (/^(status|cluster|health|overview)$/.test(text)) score = 0.8;
    else if (/\b(overview|summary)\b/.test(text) || /\bhow(?:'s| is| are)\b.*\b(cluster|things|everything|nodes|lab)\b/.test(text)) score = 0.75;
    else if (/\b(is|are) (everything|all|things) (ok|okay|fine|good|alright|healthy|up)\b/.test(text)) score = 0.7;
    else if (/\bwhat(?:'s| is) running\b/.test(text) || /\b(status|state) of (the |my )?(nodes|cluster|lab)\b/.test(text)) score = 0.7;
    else if (/\bstatus\b/.test(text)) score = 0.4;
    return score ? { score, entities: {} } : undefined;
  },
  build() {
    return { intent: 'cluster-status', steps: [step('s1', 'cluster-status', {}, { why: 'nodes, namespaces, workloads and pods in one read' })] };
  },
};
