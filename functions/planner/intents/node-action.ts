/** "cordon pi-2", "drain node pi-2", "uncordon pi-2": one approved `node` step; a drain's preview lists the pods it evicts. */
import { step, tidy, type Intent } from './intent.js';
import { isObjectName } from './object-words.js';

const FORM = /^(?:please |can you |could you |go ahead and )*(cordon|uncordon|drain)\s+(?:the\s+)?(?:node\s+)?([a-z0-9][-a-z0-9.]*)(?:\s+node)?$/;

export const nodeAction: Intent = {
  name: 'node-action',
  effect: 'change',
  handles: ['node'],
  examples: ['cordon pi-2', 'drain pi-2', 'uncordon pi-2'],
  match(raw) {
    const m = FORM.exec(tidy(raw));
    return m ? { score: 0.95, entities: { action: m[1] } } : undefined;
  },
  build(entities, _facts, text) {
    const node = FORM.exec(tidy(text))?.[2];
    const action = String(entities.action);
    if (!isObjectName(node)) return { intent: 'node-action', steps: [], question: `Which node? e.g. "${action} pi-2"` };
    const why = action === 'drain' ? `drain ${node}: cordon it, then evict its pods (DaemonSet pods stay)` : `${action} ${node}`;
    return { intent: 'node-action', steps: [step('s1', 'node', { node, action }, { mutates: true, why })] };
  },
};
