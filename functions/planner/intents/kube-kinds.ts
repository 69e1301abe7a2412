/** The kinds people name in read requests ("configmaps", "cm", "CRDs", "network policies"), as kube-get's `kind`. */

/** [words, kind as kube-get takes it]; plural and singular, short names, spaced forms. */
const KINDS: [RegExp, string][] = [
  [/secrets?/, 'secrets'],
  [/custom ?resource ?definitions?|crds?/, 'customresourcedefinitions'],
  [/config ?maps?|cms?/, 'configmaps'],
  [/network ?polic(?:y|ies)|netpols?/, 'networkpolicies'],
  [/cluster ?role ?bindings?/, 'clusterrolebindings'], [/role ?bindings?/, 'rolebindings'], [/cluster ?roles?/, 'clusterroles'], [/roles?/, 'roles'],
  [/service ?accounts?|sas?/, 'serviceaccounts'],
  [/persistent ?volume ?claims?|pvcs?/, 'persistentvolumeclaims'], [/persistent ?volumes?|pvs?/, 'persistentvolumes'],
  [/storage ?classes|storage ?class|storageclass(?:es)?/, 'storageclasses'],
  [/ingress(?:es)?/, 'ingresses'], [/endpoint ?slices?/, 'endpointslices'], [/endpoints?|ep/, 'endpoints'],
  [/horizontal ?pod ?autoscalers?|hpas?|autoscalers?/, 'horizontalpodautoscalers'],
  [/pod ?disruption ?budgets?|pdbs?/, 'poddisruptionbudgets'],
  [/cron ?jobs?|cj/, 'cronjobs'], [/jobs?/, 'jobs'],
  [/daemon ?sets?|ds/, 'daemonsets'], [/stateful ?sets?|sts/, 'statefulsets'], [/replica ?sets?|rs/, 'replicasets'],
  [/deployments?|deploy/, 'deployments'], [/services?|svc/, 'services'], [/pods?|po/, 'pods'],
  [/namespaces?|ns/, 'namespaces'], [/nodes?/, 'nodes'], [/resource ?quotas?|quotas?/, 'resourcequotas'], [/limit ?ranges?/, 'limitranges'],
  [/priority ?classes|priorityclass(?:es)?/, 'priorityclasses'], [/events?/, 'events'],
];

const ALTERNATION = KINDS.map(([re]) => re.source).join('|');
/** A kind word, or `plural.group` (monitors.ganglion.dev), as a whole word. */
export const KIND_WORD = new RegExp(`(?<![\\w-])(${ALTERNATION}|[a-z]+\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)+)(?![\\w-])`);

/** The kube-get kind a word names, or undefined. */
export function kindOf(word: string): string | undefined {
  const w = word.toLowerCase();
  for (const [re, kind] of KINDS) if (new RegExp(`^(?:${re.source})$`).test(w)) return kind;
  return /^[a-z]+\.[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(w) ? w : undefined;
}
