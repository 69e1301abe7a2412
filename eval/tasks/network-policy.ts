/** NetworkPolicy tasks: default deny in and out, one app to another, one namespace to another. */
import type { ClusterReader } from '../kubectl.js';
import type { EvalTask } from '../task.js';
import { deployment, namespace } from './manifests.js';

interface Peer { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: { matchLabels?: Record<string, string> } }
interface Policy {
  metadata: { name: string };
  spec: { podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }; policyTypes?: string[]; ingress?: { from?: Peer[]; ports?: { port?: number | string }[] }[]; egress?: unknown[] };
}

async function policiesIn(k: ClusterReader, ns: string): Promise<Policy[]> {
  return (JSON.parse(await k.kubectl('get', 'networkpolicies', '-n', ns, '-o', 'json')) as { items: Policy[] }).items;
}

const selectsAll = (p: Policy) => Object.keys(p.spec.podSelector?.matchLabels ?? {}).length === 0 && (p.spec.podSelector?.matchExpressions ?? []).length === 0;
const selects = (p: Policy, key: string, value: string) => p.spec.podSelector?.matchLabels?.[key] === value;
const types = (p: Policy) => p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);

export const networkPolicyTasks: EvalTask[] = [
  {
    name: 'netpol-deny-all-ingress', category: 'network-policy', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create a network policy in namespace qa that denies all ingress traffic to every pod',
    async verify({ k }) {
      const ok = (await policiesIn(k, 'qa')).some((p) => selectsAll(p) && types(p).includes('Ingress') && (p.spec.ingress ?? []).length === 0);
      return ok ? [] : ['no NetworkPolicy in qa selects every pod with policy type Ingress and no ingress rule'];
    },
  },
  {
    name: 'netpol-deny-all-egress', category: 'network-policy', kind: 'change', manifests: namespace('qa'),
    prompt: 'Block all outgoing traffic from the pods in namespace qa',
    async verify({ k }) {
      const ok = (await policiesIn(k, 'qa')).some((p) => selectsAll(p) && types(p).includes('Egress') && (p.spec.egress ?? []).length === 0);
      return ok ? [] : ['no NetworkPolicy in qa selects every pod with policy type Egress and no egress rule'];
    },
  },
  {
    name: 'netpol-app-to-app-port', category: 'network-policy', kind: 'change',
    manifests: namespace('shop') + deployment('frontend', 'shop', 'nginx:1.27') + deployment('api', 'shop', 'nginx:1.27'),
    prompt: 'In namespace shop, only allow pods labelled app=frontend to reach the pods labelled app=api, on port 8080',
    async verify({ k }) {
      const policies = (await policiesIn(k, 'shop')).filter((p) => selects(p, 'app', 'api') && types(p).includes('Ingress'));
      if (!policies.length) return ['no Ingress NetworkPolicy in shop selects app=api'];
      const rules = policies.flatMap((p) => p.spec.ingress ?? []);
      const tooWide = rules.filter((r) => !(r.from ?? []).length || (r.from ?? []).some((f) => f.podSelector?.matchLabels?.app !== 'frontend' || f.namespaceSelector));
      if (tooWide.length) return [`an ingress rule to app=api admits more than app=frontend: ${JSON.stringify(tooWide[0])}`];
      const portOk = rules.some((r) => (r.ports ?? []).some((p) => String(p.port) === '8080')) && rules.every((r) => (r.ports ?? []).length > 0);
      return portOk ? [] : ['the rules to app=api do not limit traffic to port 8080'];
    },
  },
  {
    name: 'netpol-namespace-to-db', category: 'network-policy', kind: 'change',
    prompt: 'Only let pods in the apps namespace talk to postgres in the data namespace',
    async verify({ k }) {
      const policies = (await policiesIn(k, 'data')).filter((p) => (selects(p, 'app', 'postgres') || selectsAll(p)) && types(p).includes('Ingress'));
      if (!policies.length) return ['no Ingress NetworkPolicy in data selects the postgres pods'];
      const from = policies.flatMap((p) => p.spec.ingress ?? []).flatMap((r) => r.from ?? [{}]);
      const onlyApps = from.length > 0 && from.every((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'apps');
      return onlyApps ? [] : [`the ingress to postgres is not limited to namespace apps: ${JSON.stringify(from)}`];
    },
  },
];
