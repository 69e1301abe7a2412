/** A plan of one `apply` step for the objects a sentence asks for, with their namespace when the cluster lacks it. */
import type { ClusterFacts, Plan } from '../plan.js';
import { manifestText, namespaceObject } from '../manifests/object-manifests.js';
import { step } from './intent.js';

type Obj = Record<string, unknown>;

const namespaceOf = (o: Obj) => (o.metadata as { namespace?: string } | undefined)?.namespace;

export function applyPlan(intent: string, objects: Obj[], facts: ClusterFacts, why: string): Plan {
  // "a pod in namespace qa" where there is no qa: the namespace is created first, in the same approved apply
  const missing = [...new Set(objects.map(namespaceOf).filter((n): n is string => Boolean(n) && !facts.unavailable && !facts.namespaces.includes(n as string)))];
  const all = [...missing.map(namespaceObject), ...objects];
  const also = missing.length ? ` (and namespace ${missing.join(', ')}, which does not exist yet)` : '';
  return { intent, steps: [step('s1', 'apply', { manifest: manifestText(all) }, { mutates: true, why: `${why}${also}` })] };
}

export const ask = (intent: string, question: string): Plan => ({ intent, steps: [], question });

/** Another verb after "and"/"then": a second request the plan would leave out ("create a namespace qa and deploy nginx there"). */
export const SECOND_REQUEST = /\b(?:and|then)\s+(?:then\s+)?(?:deploy|run|install|start|create|add|expose|scale|bind|give|grant|put|launch|restart|delete|remove)\b/;
