/**
 * "create a namespace called test", "create an nginx pod called frontend-test in namespace qa", "create a deployment
 * web2 with image nginx:1.27 and 3 replicas in namespace web", "create a configmap app-settings with LOG_LEVEL=debug
 * in apps", "expose deployment web2 on port 80": one approved `apply` of the objects named, never a guess — a missing
 * image is asked for.
 */
import { mentionedDeployments } from '../target-resolution.js';
import { configMapObject, deploymentObject, namespaceObject, podObject, serviceObject } from '../manifests/object-manifests.js';
import { applyPlan, ask, SECOND_REQUEST } from './apply-plan.js';
import { imageIn, isObjectName, limitsIn, nameAfter, namespaceIn, pairsIn, portIn, replicasIn, targetPortIn } from './object-words.js';
import { tidy, type Intent } from './intent.js';

const CREATE = /^(?:please |can you |could you |i want to |i'd like to |let's |go ahead and )*(?:create|make|add|set up|spin up|launch|start|run|provision|new)\s+(?:me\s+)?(?:a|an|one|the|new)?\s*(?:new\s+)?(.*)$/;
const WISH = /^(?:i want|i need|i'd like|give me)\s+(?:a|an)\s+(?:new\s+)?(.*)$/;
const EXPOSE = /^(?:please |can you |could you )*expose\s+(.*)$/;
/** What these forms cannot build: asked for, they are left to the "I can't … yet" answer. */
const BEYOND = /\b(mount\w*|volumes?|probes?|secrets?|cron\s?jobs?|jobs?|ingress\w*|autoscal\w*|hpa|service ?accounts?|helm|manifest|daemon\s?sets?|stateful\s?sets?|env\w*|sidecars?|init containers?|nodeport|loadbalancer)\b/;

type Kind = 'namespace' | 'pod' | 'deployment' | 'configmap' | 'service';

function kindOf(rest: string): Kind | undefined {
  const head = rest.split(/\b(?:with|in|that|which|called|named)\b/)[0] ?? rest;
  if (/\bnamespaces?\b/.test(head)) return 'namespace';
  if (/\bdeployments?\b/.test(head)) return 'deployment';
  if (/\bconfig ?maps?\b/.test(head)) return 'configmap';
  if (/\bpods?\b/.test(head)) return 'pod';
  return undefined;
}

export const createWorkload: Intent = {
  name: 'create-object',
  effect: 'change',
  handles: ['namespace', 'configmap', 'resources', 'port'],
  examples: ['create a namespace called test', 'create an nginx pod called frontend-test in namespace qa', 'create a deployment web2 with image nginx:1.27 and 3 replicas in namespace web',
    'create a configmap app-settings with LOG_LEVEL=debug in apps', 'expose deployment web2 on port 80', 'create a pod called limited with image nginx, cpu limit 500m and memory limit 256Mi'],
  match(raw) {
    const text = tidy(raw);
    if (BEYOND.test(text) || SECOND_REQUEST.test(text)) return undefined;
    const expose = EXPOSE.exec(text);
    if (expose) return /\b(deployment|deploy|app|as a service|on port|port)\b/.test(expose[1] ?? '') ? { score: 0.9, entities: { kind: 'service' } } : undefined;
    const rest = (CREATE.exec(text) ?? WISH.exec(text))?.[1];
    const kind = rest ? kindOf(rest) : undefined;
    return kind ? { score: 0.9, entities: { kind } } : undefined;
  },
  build(entities, facts, text) {
    const kind = entities.kind as Kind;
    const namespace = namespaceIn(text, facts);
    if (kind === 'namespace') {
      const name = nameAfter(text, 'namespace') ?? namespace;
      if (!isObjectName(name)) return ask('create-object', 'What should the namespace be called? e.g. "create a namespace called test"');
      if (facts.namespaces.includes(name)) return { intent: 'create-object', steps: [], question: `Namespace ${name} already exists; nothing was changed.` };
      return applyPlan('create-object', [namespaceObject(name)], { ...facts, namespaces: [...facts.namespaces, name] }, `create namespace ${name}`);
    }
    if (kind === 'service') {
      const [d] = mentionedDeployments(text, facts.deployments);
      const port = portIn(text);
      if (!d) return ask('create-object', 'Which Deployment should the Service expose? e.g. "expose deployment web2 on port 80"');
      if (!port) return ask('create-object', `On which port should ${d.name} be exposed? e.g. "expose deployment ${d.name} on port 80"`);
      const target = targetPortIn(text);
      const svc = serviceObject({ name: d.name, namespace: d.namespace, selector: { app: d.labels.app ?? d.name }, port, ...(target ? { targetPort: Number(target) } : {}) });
      return applyPlan('create-object', [svc], facts, `Service ${d.name} on port ${port} for deployment ${d.name}`);
    }
    const ns = namespace ?? 'default';
    if (kind === 'configmap') {
      const name = nameAfter(text, 'config ?maps?');
      if (!isObjectName(name)) return ask('create-object', 'What should the ConfigMap be called? e.g. "create a configmap app-settings with LOG_LEVEL=debug in apps"');
      const data = pairsIn(text);
      // asked for contents it could not read: ask, never create it empty
      if (!Object.keys(data).length && /\b(with|containing|holding|set|key|keys|values?)\b/i.test(text)) return ask('create-object', `Which keys and values should ConfigMap ${name} hold? Write them as KEY=value, e.g. "create a configmap ${name} with LOG_LEVEL=debug in ${ns}"`);
      return applyPlan('create-object', [configMapObject({ name, namespace: ns, data })], facts, `create configmap ${name} in ${ns}`);
    }
    const image = imageIn(text, kind === 'pod' ? 'pods?' : 'deployments?');
    const name = nameAfter(text, kind === 'pod' ? 'pods?' : 'deployments?') ?? (kind === 'pod' && image ? image.split('/').pop()?.split(':')[0] : undefined);
    if (!image) return ask('create-object', `Which image should the ${kind} run? e.g. "create ${kind === 'pod' ? 'an nginx pod called web-test' : 'a deployment web2 with image nginx:1.27 and 3 replicas'} in namespace ${ns}"`);
    if (!isObjectName(name)) return ask('create-object', `What should the ${kind} be called? e.g. "… called web-test"`);
    const limits = limitsIn(text);
    if (kind === 'pod') return applyPlan('create-object', [podObject({ name, namespace: ns, image, limits })], facts, `create pod ${name} (${image}) in ${ns}`);
    const replicas = replicasIn(text) ?? 1;
    return applyPlan('create-object', [deploymentObject({ name, namespace: ns, image, replicas, limits })], facts, `create deployment ${name} (${image}, ${replicas} replica${replicas === 1 ? '' : 's'}) in ${ns}`);
  },
};
