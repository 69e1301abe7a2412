/**
 * Generates large clusters (1,000 / 10,000 pods) for benchmarks: many namespaces and Deployments spread over
 * nodes, about 4% of pods failing in the usual ways, every pod written already settled so seeding is fast.
 */
import type { Scenario, ScenarioObject } from './scenario.js';
import { settledPod, type PodFate } from './settled-pod.js';
import { podTemplateHash } from '../controllers/pod-template-hash.js';

export interface GenerateOptions { pods: number; nodes?: number; failingRatio?: number; seed?: number }

const HEALTHY_IMAGES = ['nginx:1.27-alpine', 'registry.local/shop-api:2.3.1', 'redis:7.4-alpine', 'registry.local/catalog:1.12.0', 'registry.local/auth:4.0.2', 'traefik/whoami:v1.10'];
const FAILING: { fate: Exclude<PodFate, 'running'>; share: number; image: string }[] = [
  { fate: 'crashloop', share: 0.35, image: 'registry.local/orders-worker:1.8.0' },
  { fate: 'imagepull', share: 0.2, image: 'registry.local/payments:9.9.9-missing' },
  { fate: 'pending', share: 0.15, image: 'registry.local/ml-batch:0.3.0' },
  { fate: 'oomkilled', share: 0.15, image: 'registry.local/report-builder:0.7.1' },
  { fate: 'notready', share: 0.15, image: 'registry.local/search:3.1.0' },
];
const WORDS = ['shop', 'orders', 'billing', 'search', 'auth', 'media', 'chat', 'mail', 'stats', 'feeds', 'maps', 'notes', 'wiki', 'blog', 'store', 'queue'];
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A small deterministic PRNG (mulberry32), so a generated cluster is the same every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The status the Deployment controller would write for a settled rollout (so starting it changes nothing). */
function deploymentStatus(rsName: string, replicas: number, available: number, at: string): Record<string, unknown> {
  const ok = available === replicas;
  const counts: Record<string, number> = { replicas, updatedReplicas: replicas, readyReplicas: available, availableReplicas: available, unavailableReplicas: replicas - available };
  const cond = (type: string, status: boolean, reason: string, message: string) => ({ type, status: status ? 'True' : 'False', lastUpdateTime: at, lastTransitionTime: at, reason, message });
  return {
    observedGeneration: 1,
    ...Object.fromEntries(Object.entries(counts).filter(([, v]) => v > 0)),
    conditions: [
      ok || available >= replicas - Math.floor(replicas / 4)
        ? cond('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : cond('Available', false, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      ok
        ? cond('Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`)
        : cond('Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`),
    ],
  };
}

export function generateCluster({ pods, nodes, failingRatio = 0.04, seed = 42 }: GenerateOptions): Scenario {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const suffix = () => Array.from({ length: 5 }, () => pick([...ALPHABET])).join('');
  const nodeCount = nodes ?? Math.max(3, Math.ceil(pods / 50));
  const objects: ScenarioObject[] = [];
  const now = Date.now();
  const nodeList = Array.from({ length: nodeCount }, (_, i) => {
    const name = `node-${String(i + 1).padStart(3, '0')}`;
    const arch = i % 4 === 3 ? 'amd64' : 'arm64';
    const ip = `10.0.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`;
    objects.push({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name, ...(i === 0 ? { 'node-role.kubernetes.io/control-plane': 'true' } : {}) } },
      spec: { podCIDR: `10.${42 + Math.floor(i / 256)}.${i % 256}.0/24` },
      status: { capacity: { cpu: '16', memory: '65536Mi', pods: '250' }, allocatable: { cpu: '16', memory: '65536Mi', pods: '250' }, addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
    });
    return { name, ip, index: i, used: 0 };
  });
  const nsCount = Math.max(3, Math.round(pods / 100));
  const namespaces = Array.from({ length: nsCount }, (_, i) => `${WORDS[i % WORDS.length]}-${String(Math.floor(i / WORDS.length) + 1).padStart(2, '0')}`);
  for (const name of ['default', 'kube-system', ...namespaces]) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  let failingLeft = Math.round(pods * failingRatio);
  let made = 0;
  let deployIndex = 0;
  const failingBudget = FAILING.map((f) => ({ ...f, left: Math.round(pods * failingRatio * f.share) }));
  while (made < pods) {
    const namespace = namespaces[deployIndex % namespaces.length];
    const name = `${pick(WORDS)}-${pick(['api', 'web', 'worker', 'cache', 'cron', 'gateway'])}-${deployIndex}`;
    const kind = failingLeft > 0 && rand() < failingRatio * 2.5 ? failingBudget.find((f) => f.left > 0) : undefined;
    const replicas = Math.min(pods - made, kind ? 1 + Math.floor(rand() * 2) : 2 + Math.floor(rand() * 7));
    const fate: PodFate = kind?.fate ?? 'running';
    const image = kind?.image ?? pick(HEALTHY_IMAGES);
    const container = name.split('-')[0];
    const labels = { app: name, tier: name.includes('web') ? 'web' : 'backend' };
    const memory = fate === 'pending' ? '256Gi' : `${64 * (1 + Math.floor(rand() * 4))}Mi`;
    const podSpec = {
      containers: [{
        name: container, image, ports: [{ name: 'http', containerPort: 8080 }],
        resources: { requests: { cpu: '50m', memory }, limits: { memory: fate === 'oomkilled' ? '128Mi' : '1Gi' } },
        ...(fate === 'notready' ? { readinessProbe: { httpGet: { path: '/ready', port: 8080 } } } : {}),
      }],
    };
    const template = { metadata: { labels }, spec: podSpec };
    const hash = podTemplateHash(template);
    const rsName = `${name}-${hash}`;
    const created = now - Math.floor(rand() * 30 * 86_400_000) - 3_600_000;
    const revision = { 'deployment.kubernetes.io/revision': '1' };
    objects.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, labels, annotations: revision, creationTimestamp: new Date(created).toISOString() },
      spec: { replicas, selector: { matchLabels: { app: name } }, template },
      status: deploymentStatus(rsName, replicas, fate === 'running' ? replicas : 0, new Date(created + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
    });
    objects.push({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: rsName, namespace, labels: { ...labels, 'pod-template-hash': hash }, creationTimestamp: new Date(created).toISOString(),
        annotations: { ...revision, 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: '', controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas, selector: { matchLabels: { app: name, 'pod-template-hash': hash } }, template: { metadata: { labels: { ...labels, 'pod-template-hash': hash } }, spec: podSpec } },
      status: { replicas, fullyLabeledReplicas: replicas, readyReplicas: fate === 'running' ? replicas : 0, availableReplicas: fate === 'running' ? replicas : 0, observedGeneration: 1 },
    });
    objects.push({
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    for (let r = 0; r < replicas; r++) {
      const node = fate === 'pending' ? undefined : nodeList[(made + r) % nodeList.length];
      if (node) node.used++;
      const podName = `${rsName}-${suffix()}`;
      const ipIndex = node ? node.used + 10 : 0;
      objects.push(settledPod({
        name: podName, namespace, labels: { ...labels, 'pod-template-hash': hash }, owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName },
        spec: podSpec, container, image, fate, podIP: node ? `10.${42 + Math.floor(node.index / 256)}.${node.index % 256}.${ipIndex % 250 + 2}` : '',
        created, nodeCount, restarts: fate === 'crashloop' ? 12 + Math.floor(rand() * 30) : fate === 'oomkilled' ? 3 + Math.floor(rand() * 6) : rand() < 0.05 ? 1 : 0,
        ...(node ? { node: { name: node.name, ip: node.ip } } : {}),
      }));
    }
    if (kind) {
      kind.left -= replicas;
      failingLeft -= replicas;
    }
    made += replicas;
    deployIndex++;
  }
  const crashLogs = {
    startup: ['orders-worker 1.8.0 starting', 'connecting to queue amqp://rabbitmq.queue.svc:5672'],
    exit: ['Error: connect ECONNREFUSED 10.43.99.12:5672', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1610:16)'],
  };
  return {
    name: `generated-${pods}`,
    objects,
    simulation: {
      registry: [...HEALTHY_IMAGES, ...FAILING.filter((f) => f.fate !== 'imagepull').map((f) => f.image)],
      images: {
        'registry.local/orders-worker': { exit: { afterSeconds: 5, exitCode: 1 }, logs: crashLogs },
        'registry.local/report-builder': { memory: { usage: '900Mi', afterSeconds: 5 }, logs: { startup: ['report-builder: loading 2.1 GB of events into memory'] } },
        'registry.local/search': { readiness: { failing: true, message: 'HTTP probe failed with statuscode: 503' } },
        nginx: { logs: { startup: ['/docker-entrypoint.sh: Configuration complete; ready for start up'], repeat: { everySeconds: 30, lines: ['10.42.0.1 - - "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.32"'] } } },
      },
    },
  };
}
