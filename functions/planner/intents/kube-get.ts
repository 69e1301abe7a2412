/**
 * "list all deployments", "get pods in namespace apps with label app=web", "show me the configmaps in apps", "list the
 * CRDs", "describe the api-server deployment": one kube-get read, names resolved against the live cluster. Secrets are
 * refused here already: no tool reads them.
 */
import { mentionedDeployments, namespaceHint, resolveTargets } from '../target-resolution.js';
import type { Plan } from '../plan.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';
import { KIND_WORD, kindOf } from './kube-kinds.js';

const K = KIND_WORD.source;
const LEAD = "^(?:(?:can|could|would) you |please |pls |kubectl )*";
const ARTICLES = '(?:(?:all|every|the|my|our|of|any|me)\\s+)*';
const LIST = new RegExp(`${LEAD}(?:list|get|show|display|print|see|give|find|what are|which are)\\s+${ARTICLES}${K}(?:\\s+(.*))?$`);
const ASK = new RegExp(`^(?:what|which|how many)\\s+${K}\\s+(?:are|is|do|exist|run|there)\\b(.*)$`);
const DESCRIBE_KIND_FIRST = new RegExp(`${LEAD}describe\\s+(?:the\\s+)?${K}\\s+([a-z0-9][-a-z0-9.]*)(.*)$`);
const DESCRIBE_NAME_FIRST = new RegExp(`${LEAD}describe\\s+(?:the\\s+)?([a-z0-9][-a-z0-9. ]*?)(?:\\s+${K})?(?:\\s+(?:in|from)\\s.*)?$`);
const TROUBLE = /\b(fail\w*|broken|crash\w*|unhealthy|not (?:running|ready)|wrong|stuck|pending|errors?|restarting|backoff|oom\w*)\b|n't (?:running|ready)\b/;
/** label selectors as people write them: "with label app=web", "labelled tier=web", "-l app=web" */
const LABEL = /(?:\bwith (?:the )?labels?|\blabell?ed|\bwhere|\bselector|-l)\s+([a-z0-9./-]+\s*(?:!?=|==)\s*[a-z0-9._-]+(?:\s*,\s*[a-z0-9./-]+\s*!?=\s*[a-z0-9._-]+)*)/;
const ON_NODE = /\bon (?:node )?([a-z0-9][-a-z0-9.]*)\b/;
const PHASE = /\b(?:that are |which are )?(running|succeeded|completed)\b/;

function secretsRefusal(): Plan {
  return {
    intent: 'kube-get', steps: [],
    question: 'I can\'t show Secrets; Ganglion never reads them, not even their names, and nothing was changed. I can list the ConfigMaps ("show me the configmaps in apps") or show which Secrets a Deployment refers to ("describe the api-server deployment"); list Secrets with your own credentials: kubectl get secrets -n <namespace>.',
  };
}

export const kubeGet: Intent = {
  name: 'kube-get',
  effect: 'read',
  examples: ['describe the api-server deployment', 'list all deployments', 'get pods in namespace apps with label app=web', 'show me the configmaps in apps', 'list the CRDs', 'show me the secrets in apps'],
  match(raw) {
    const text = tidy(raw);
    if (/\b(logs?|events?)\b/.test(text) && !/^describe\b/.test(text)) return undefined;
    // usage and pressure are kube-top's ("which pods use the most memory", "which nodes are under memory pressure")
    if (/\b(pressure|usage|use|using|uses|most|consum\w*|top|heaviest|hog\w*)\b/.test(text)) return undefined;
    const listed = LIST.exec(text) ?? ASK.exec(text);
    if (listed) {
      const kind = kindOf(listed[1] ?? '');
      if (!kind || kind === 'events' || (kind === 'pods' && TROUBLE.test(text))) return undefined;
      return { score: 0.9, entities: { kind, rest: listed[2] ?? '' } };
    }
    const kindFirst = DESCRIBE_KIND_FIRST.exec(text);
    if (kindFirst && kindOf(kindFirst[1] ?? '')) return { score: 0.9, entities: { kind: kindOf(kindFirst[1] ?? ''), name: kindFirst[2], rest: kindFirst[3] ?? '', describe: true } };
    const nameFirst = DESCRIBE_NAME_FIRST.exec(text);
    if (nameFirst) {
      const phrase = objectPhrase(nameFirst[1]);
      if (phrase && !/^(cluster|the cluster|everything|nodes)$/.test(phrase)) return { score: 0.9, entities: { phrase, kind: nameFirst[2] ? kindOf(nameFirst[2]) : undefined, describe: true } };
    }
    return undefined;
  },
  build(entities, facts, text) {
    const kind = typeof entities.kind === 'string' ? entities.kind : undefined;
    if (kind === 'secrets') return secretsRefusal();
    const rest = typeof entities.rest === 'string' ? entities.rest : '';
    const input: Record<string, unknown> = {};
    const dashN = /(?:^|\s)-n\s+([a-z0-9-]+)/.exec(rest)?.[1];
    const namespace = namespaceHint(` ${rest || text} `, facts) ?? (dashN && facts.namespaces.includes(dashN) ? dashN : undefined);
    if (namespace) input.namespace = namespace;
    const label = LABEL.exec(rest)?.[1]?.replace(/\s+/g, '').replace('==', '=');
    if (label) input.labelSelector = label;
    const fields: string[] = [];
    if (kind === 'pods' && ON_NODE.test(rest) && !/^namespace$/.test(ON_NODE.exec(rest)?.[1] ?? '')) fields.push(`spec.nodeName=${ON_NODE.exec(rest)?.[1]}`);
    const phase = kind === 'pods' ? PHASE.exec(rest)?.[1] : undefined;
    if (phase) fields.push(`status.phase=${phase === 'running' ? 'Running' : 'Succeeded'}`);
    if (fields.length) input.fieldSelector = fields.join(',');
    if (entities.describe !== true) return { intent: 'kube-get', steps: [step('s1', 'kube-get', { kind, ...input }, { why: `the ${kind} as kubectl get lists them` })] };
    if (typeof entities.name === 'string') {
      const d = facts.deployments.find((x) => x.name === entities.name && (!namespace || x.namespace === namespace));
      const ns = namespace ?? d?.namespace ?? facts.pods.find((p) => p.name === entities.name)?.namespace;
      return { intent: 'kube-get', steps: [step('s1', 'kube-get', { kind, name: entities.name, ...(ns ? { namespace: ns } : {}), describe: true }, { why: 'what kubectl describe shows, with its events' })] };
    }
    // "describe the api-server deployment", "describe api-server": a Deployment the cluster has
    const phrase = typeof entities.phrase === 'string' ? entities.phrase : undefined;
    if (kind && kind !== 'deployments') {
      const name = phrase?.replace(/\s+/g, '-');
      return { intent: 'kube-get', steps: [step('s1', 'kube-get', { kind, ...(name ? { name } : {}), ...input, describe: true }, { why: 'what kubectl describe shows, with its events' })] };
    }
    const named = mentionedDeployments(text, facts.deployments);
    const found = named.length === 1 ? { kind: 'found' as const, targets: named } : resolveTargets(text, phrase, facts, { single: true });
    if (found.kind === 'question') return { intent: 'kube-get', steps: [], question: found.question };
    const d = found.targets[0];
    if (!d) return { intent: 'kube-get', steps: [], question: 'Which object do you mean?' };
    return { intent: 'kube-get', steps: [step('s1', 'kube-get', { kind: 'deployments', name: d.name, namespace: d.namespace, describe: true }, { why: `${d.name}: replicas, containers and images, conditions and events` })] };
  },
};
