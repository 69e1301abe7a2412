/**
 * The honest answer to a change no tool can make yet: "I can't <verb> <object> yet; nothing was changed", then what
 * Ganglion can do instead for that object (scale a Deployment to 0 instead of deleting it, restart it to replace its
 * pods, show the nodes). No steps: nothing runs.
 */
import { mentionedDeployments } from '../target-resolution.js';
import type { ClusterFacts, DeploymentFact, Plan } from '../plan.js';
import type { ChangeAsk } from './change-request.js';

const STOPS = /^(stop|pause|suspend|halt|delete|remove|kill|terminate|destroy|shut down|take down|tear down|spin down|disable|turn off|switch off|wipe|nuke|purge)$/;
const NODE_VERBS = /^(drain|cordon|uncordon|taint|untaint)$/;
const UNHEALTHY = /\b(fail\w*|crash\w*|broken|unhealthy|stuck|pending|evicted|error\w*|dead|restarting)\b/;

/** The Deployment whose pods the words point at: named, else the one owning the unhealthy pods when "crashing pods" are meant. */
function podOwner(ask: ChangeAsk, facts: ClusterFacts): DeploymentFact | undefined {
  const named = mentionedDeployments(ask.object, facts.deployments);
  if (named.length === 1) return named[0];
  if (!UNHEALTHY.test(ask.object)) return undefined;
  const owners = [...new Set(facts.pods.filter((p) => !p.ready && p.deployment).map((p) => `${p.namespace}/${p.deployment}`))];
  return owners.length === 1 ? facts.deployments.find((d) => `${d.namespace}/${d.name}` === owners[0]) : undefined;
}

function instead(ask: ChangeAsk, facts: ClusterFacts): string {
  const { verb, kinds } = ask;
  if (NODE_VERBS.test(verb) || kinds.includes('node') || kinds.includes('taint')) {
    return 'I can cordon, drain or uncordon a node ("drain pi-2"), and show the nodes with their conditions and pressure ("show me cluster status").';
  }
  if (kinds.includes('pod') && !kinds.some((k) => k !== 'pod' && k !== 'deployment') && (STOPS.test(verb) || /^(evict|restart|recreate|replace)$/.test(verb))) {
    const d = podOwner(ask, facts);
    return d
      ? `I can restart ${d.name}, which replaces its pods ("restart ${d.name}"), or list the failing pods ("list failing pods").`
      : 'I can restart the Deployment that owns them, which replaces its pods ("restart <deployment>"), or list the failing pods ("list failing pods").';
  }
  const [d] = mentionedDeployments(ask.object, facts.deployments);
  if (d && STOPS.test(verb)) {
    return `I can scale ${d.name} to 0 replicas ("scale ${d.name} to 0"), which stops its pods and keeps the Deployment to scale back up.`;
  }
  if (d) return `I can deploy a new image of ${d.name}, scale it, restart it or roll it back (e.g. "scale ${d.name} to 2").`;
  return 'I can deploy a new version of an existing Deployment, scale, restart or roll one back, copy ConfigMaps between clusters ("sync config from prod to staging"), '
    + 'and create a namespace, pod, Deployment, Service, ConfigMap, Role, RoleBinding or NetworkPolicy from a sentence ("create a namespace called test"); '
    + 'creating or editing other kinds of object needs Kubernetes tools Ganglion does not have yet.';
}

export function cannotPlan(ask: ChangeAsk, facts: ClusterFacts): Plan {
  const what = ask.object ? `${ask.verb} ${ask.object}` : ask.verb;
  return { intent: 'cannot', steps: [], question: `I can't ${what} yet; nothing was changed. ${instead(ask, facts)}` };
}
