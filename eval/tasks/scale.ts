/** Scale tasks: the scenario line, its paraphrases, one Deployment, to zero, a StatefulSet. */
import { fieldIs } from '../kubectl.js';
import type { ClusterReader } from '../kubectl.js';
import type { EvalTask } from '../task.js';
import { deployment, namespace } from './manifests.js';

/** Every tier=web Deployment (the home lab has three) at `n` replicas. */
async function webTierAt(k: ClusterReader, n: number): Promise<string[]> {
  const out = await k.kubectl('get', 'deployments', '-A', '-l', 'tier=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas} {end}');
  const pairs = out.trim().split(' ').filter(Boolean);
  if (pairs.length < 3) return [`the web tier has ${pairs.length} Deployments; the home lab has three`];
  return pairs.filter((p) => !p.endsWith(`=${n}`)).map((p) => `web tier ${p.replace('=', ' has ')} replicas, expected ${n}`);
}

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache, namespace: qa, labels: {app: cache}}
spec:
  replicas: 1
  serviceName: cache
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: redis, image: redis:7}]
`;

export const scaleTasks: EvalTask[] = [
  { name: 'scale-web-tier-5', category: 'scale', tags: ['scenario'], kind: 'change', prompt: 'Scale the web tier to 5 replicas', verify: ({ k }) => webTierAt(k, 5) },
  { name: 'scale-web-tier-make-5', category: 'scale', tags: ['paraphrase'], kind: 'change', prompt: 'make the web tier 5 replicas', verify: ({ k }) => webTierAt(k, 5) },
  { name: 'scale-web-tier-down-to-1', category: 'scale', tags: ['paraphrase'], kind: 'change', prompt: 'bring the web tier down to 1', verify: ({ k }) => webTierAt(k, 1) },
  {
    name: 'scale-one-deployment', category: 'scale', kind: 'change', prompt: 'Scale placemyparents to 4 replicas',
    verify: fieldIs('placemyparents replicas', 'deployment/placemyparents', 'apps', '{.spec.replicas}', '4'),
  },
  {
    name: 'scale-to-zero', category: 'scale', kind: 'change', manifests: namespace('qa') + deployment('batch-worker', 'qa', 'busybox:1.36', { replicas: 2 }),
    prompt: 'Scale batch-worker in namespace qa down to zero',
    verify: fieldIs('batch-worker replicas', 'deployment/batch-worker', 'qa', '{.spec.replicas}', '0'),
  },
  {
    name: 'scale-statefulset', category: 'scale', kind: 'change', manifests: namespace('qa') + STS,
    prompt: 'Scale the cache statefulset in namespace qa to 3 replicas',
    verify: fieldIs('statefulset cache replicas', 'statefulset/cache', 'qa', '{.spec.replicas}', '3'),
  },
];
