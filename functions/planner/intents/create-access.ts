/**
 * "create a role pod-reader in apps that can get, list pods", "bind role pod-reader to user alice in apps", "create a
 * network policy that denies all ingress in namespace apps", "allow ingress to placemyparents from frontend pods":
 * one approved `apply` of the Role, RoleBinding or NetworkPolicy, built from the words; anything vaguer is asked back.
 */
import type { ClusterFacts, DeploymentFact, Plan } from '../plan.js';
import { allowFromObject, denyAllObject, roleBindingObject, roleObject, type SubjectKind } from '../manifests/object-manifests.js';
import { applyPlan, ask, SECOND_REQUEST } from './apply-plan.js';
import { isObjectName, nameAfter, namespaceIn, portIn } from './object-words.js';
import { tidy, type Intent } from './intent.js';

const LEAD = "^(?:please |can you |could you |i want to |i'd like to |let's |go ahead and )*";
const ROLE = new RegExp(`${LEAD}(?:create|make|add|set up)\\s+(?:a|an|the)?\\s*(?:new\\s+)?role\\s+(?!binding)`);
const BIND = new RegExp(`${LEAD}bind\\s+(?:the\\s+)?role\\s+`);
const POLICY = new RegExp(`${LEAD}(?:create|make|add|set up)\\s+(?:a|an|the)?\\s*(?:new\\s+)?(?:network ?policy|netpol)\\b`);
const ALLOW = new RegExp(`${LEAD}allow\\s+(?:ingress|traffic)\\s+(?:to|into)\\s+`);

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RESOURCES: Record<string, string> = {
  pod: 'pods', pods: 'pods', service: 'services', services: 'services', configmap: 'configmaps', configmaps: 'configmaps', deployment: 'deployments',
  deployments: 'deployments', replicaset: 'replicasets', replicasets: 'replicasets', job: 'jobs', jobs: 'jobs', events: 'events', endpoints: 'endpoints',
};

function rolePlan(text: string, facts: ClusterFacts): Plan {
  const name = nameAfter(text, 'role');
  const namespace = namespaceIn(text, facts) ?? 'default';
  const words = tidy(text).replace(/,/g, ' ').split(' ');
  const canAt = words.findIndex((w) => w === 'can' || w === 'may' || w === 'to');
  const tail = canAt >= 0 ? words.slice(canAt + 1) : [];
  const verbs = VERBS.filter((v) => tail.includes(v));
  const resources = [...new Set(tail.map((w) => RESOURCES[w]).filter((r): r is string => Boolean(r)))];
  if (!isObjectName(name)) return ask('create-access', 'What should the Role be called? e.g. "create a role pod-reader in apps that can get, list pods"');
  if (!verbs.length || !resources.length) return ask('create-access', `What may role ${name} do, on which resources? e.g. "create a role ${name} in ${namespace} that can get, list pods"`);
  return applyPlan('create-access', [roleObject({ name, namespace, verbs, resources })], facts, `Role ${name} in ${namespace}: ${verbs.join(', ')} ${resources.join(', ')}`);
}

function bindPlan(text: string, facts: ClusterFacts): Plan {
  const t = tidy(text);
  const role = /\brole\s+([a-z0-9][-a-z0-9.]*)/.exec(t)?.[1];
  const direct = /\bto\s+(?:the\s+)?(user|group|service ?account|sa)\s+([a-z0-9][-a-z0-9.@:]*)/.exec(t);
  const saAfter = /\bto\s+(?:the\s+)?([a-z0-9][-a-z0-9.]*)\s+service ?account\b/.exec(t);
  const who = direct ? { kind: direct[1] ?? '', name: direct[2] ?? '' } : saAfter ? { kind: 'serviceaccount', name: saAfter[1] ?? '' } : undefined;
  const namespace = namespaceIn(text, facts) ?? 'default';
  if (!isObjectName(role) || !who) return ask('create-access', 'Which role, to whom? e.g. "bind role pod-reader to user alice in apps"');
  const kind: SubjectKind = who.kind === 'user' ? 'User' : who.kind === 'group' ? 'Group' : 'ServiceAccount';
  const name = who.name;
  return applyPlan('create-access', [roleBindingObject({ role, namespace, subject: { kind, name } })], facts, `bind Role ${role} to ${kind} ${name} in ${namespace}`);
}

const oneOf = (text: string, facts: ClusterFacts): DeploymentFact[] => facts.deployments.filter((d) => new RegExp(`(?:^|\\s)${d.name}(?=\\s|$)`).test(text));

function policyPlan(text: string, facts: ClusterFacts): Plan {
  const t = tidy(text);
  const namespace = namespaceIn(text, facts);
  if (/\b(den(?:y|ies)|block\w*)\s+(?:all\s+)?(ingress|incoming|egress|outgoing)\b/.test(t)) {
    if (!namespace) return ask('create-access', 'In which namespace? e.g. "create a network policy that denies all ingress in namespace apps"');
    const direction = /\b(egress|outgoing)\b/.test(t) ? 'Egress' : 'Ingress';
    return applyPlan('create-access', [denyAllObject({ namespace, direction })], facts, `deny all ${direction.toLowerCase()} to the pods of ${namespace}`);
  }
  const allow = /\ballow\w*\s+(?:ingress|traffic)\s+(?:to|into)\s+(\S+)\s+from\s+(\S+)/.exec(t);
  if (allow) return allowPlan(t, facts);
  return ask('create-access', 'Which traffic should the policy deny or allow? e.g. "create a network policy that denies all ingress in namespace apps" or "allow ingress to placemyparents from frontend pods"');
}

function allowPlan(t: string, facts: ClusterFacts): Plan {
  const m = /\ballow\w*\s+(?:ingress|traffic)\s+(?:to|into)\s+(?:the\s+)?(.+?)\s+from\s+(?:the\s+)?(.+)$/.exec(t);
  const [to] = oneOf(` ${m?.[1] ?? ''} `, facts);
  const [from] = oneOf(` ${(m?.[2] ?? '').replace(/\b(pods?|deployment|app)\b/g, ' ')} `, facts);
  if (!to || !from) return ask('create-access', 'Between which Deployments? e.g. "allow ingress to placemyparents from frontend pods"');
  const port = portIn(t);
  const policy = allowFromObject({ name: `allow-${from.name}-to-${to.name}`.slice(0, 63), namespace: to.namespace, to: { app: to.labels.app ?? to.name }, from: { app: from.labels.app ?? from.name }, fromNamespace: from.namespace, ...(port ? { port } : {}) });
  return applyPlan('create-access', [policy], facts, `allow ingress to ${to.name} (${to.namespace}) from the ${from.name} pods (${from.namespace})`);
}

export const createAccess: Intent = {
  name: 'create-access',
  effect: 'change',
  handles: ['role', 'rolebinding', 'networkpolicy', 'ingress', 'policy', 'port'],
  examples: ['create a role pod-reader in apps that can get, list pods', 'bind role pod-reader to user alice in apps', 'create a network policy that denies all ingress in namespace apps', 'allow ingress to placemyparents from frontend pods'],
  match(raw) {
    const text = tidy(raw);
    if (SECOND_REQUEST.test(text.replace(/\brole\s+and\s+/, ' '))) return undefined;
    const kind = ROLE.test(text) && !/\b(bindings?|service ?accounts?|cluster ?roles?)\b/.test(text) ? 'role' : BIND.test(text) ? 'bind' : POLICY.test(text) ? 'policy' : ALLOW.test(text) ? 'allow' : undefined;
    return kind ? { score: 0.9, entities: { kind } } : undefined;
  },
  build(entities, facts, text) {
    if (entities.kind === 'role') return rolePlan(text, facts);
    if (entities.kind === 'bind') return bindPlan(text, facts);
    if (entities.kind === 'allow') return allowPlan(tidy(text), facts);
    return policyPlan(text, facts);
  },
};
