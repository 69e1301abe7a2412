/**
 * "delete the failed pods" (status.phase=Failed, every namespace), "delete pod X", "delete the configmap app-settings
 * in apps": one approved `delete` whose preview lists exactly what goes. Deployments and namespaces are not deleted
 * this way (the "I can't … yet" answer offers scaling to 0); pods of a Deployment come back, so a named pod must be
 * one the cluster has.
 */
import { step, tidy, type Intent } from './intent.js';
import { isObjectName, namespaceIn } from './object-words.js';

const LEAD = "^(?:please |can you |could you |i want to |go ahead and )*(?:delete|remove|clean up|clear out|get rid of)\\s+(?:all\\s+)?(?:of\\s+)?(?:the\\s+)?";
const BY_PHASE = new RegExp(`${LEAD}(failed|evicted|completed|succeeded|finished)\\s+pods\\b`);
const NAMED = new RegExp(`${LEAD}(pod|pods|config ?map|service|role ?binding|role|network ?policy|netpol)\\s+(?!(?:in|on|of|from|that|which|with|called|named)\\b)([a-z0-9][-a-z0-9.]*)(?=\\s|$)`);
const KIND: Record<string, string> = { pod: 'pod', pods: 'pod', configmap: 'configmap', 'config map': 'configmap', service: 'service', rolebinding: 'rolebinding', 'role binding': 'rolebinding', role: 'role', networkpolicy: 'networkpolicy', 'network policy': 'networkpolicy', netpol: 'networkpolicy' };

export const deleteObjects: Intent = {
  name: 'delete-objects',
  effect: 'change',
  handles: ['configmap', 'role', 'rolebinding', 'networkpolicy', 'policy'],
  examples: ['delete the failed pods', 'delete pod frontend-test in qa', 'delete the configmap app-settings in apps'],
  match(raw) {
    const text = tidy(raw);
    const phase = BY_PHASE.exec(text)?.[1];
    if (phase) return { score: 0.9, entities: { phase: /^(failed|evicted)$/.test(phase) ? 'Failed' : 'Succeeded' } };
    const named = NAMED.exec(text);
    return named ? { score: 0.9, entities: { kind: KIND[named[1] ?? ''] } } : undefined;
  },
  build(entities, facts, text) {
    const namespace = namespaceIn(text, facts);
    if (typeof entities.phase === 'string') {
      const input = { kind: 'pods', fieldSelector: `status.phase=${entities.phase}`, ...(namespace ? { namespace } : {}) };
      return { intent: 'delete-objects', steps: [step('s1', 'delete', input, { mutates: true, why: `delete the pods whose phase is ${entities.phase}${namespace ? ` in ${namespace}` : ''}` })] };
    }
    const kind = String(entities.kind);
    const name = NAMED.exec(tidy(text))?.[2];
    if (!isObjectName(name)) return { intent: 'delete-objects', steps: [], question: `Which ${kind} should go? e.g. "delete ${kind} <name> in namespace <ns>"` };
    // a pod is found where it is; anything else needs its namespace said (or is in default)
    const pod = kind === 'pod' ? facts.pods.filter((p) => p.name === name && (!namespace || p.namespace === namespace)) : [];
    if (kind === 'pod' && pod.length !== 1 && !namespace) {
      return { intent: 'delete-objects', steps: [], question: pod.length ? `Pod ${name} is in ${pod.map((p) => p.namespace).join(' and ')}; which namespace?` : `I see no pod ${name}; which namespace is it in? e.g. "delete pod ${name} in namespace qa"` };
    }
    const ns = namespace ?? pod[0]?.namespace ?? 'default';
    return { intent: 'delete-objects', steps: [step('s1', 'delete', { kind, names: [name], namespace: ns }, { mutates: true, why: `delete ${kind} ${name} in ${ns}` })] };
  },
};
