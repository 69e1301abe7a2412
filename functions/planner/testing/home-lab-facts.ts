/** Cluster facts shaped like kube-sim's home-lab scenario, for planner tests. */
import type { ClusterFacts, DeploymentFact } from '../plan.js';

const dep = (name: string, namespace: string, image: string, replicas: number, labels: Record<string, string> = { app: name }): DeploymentFact => ({
  name, namespace, labels, images: [image], containers: [name], replicas, ready: replicas,
});

export function homeLabFacts(extra: DeploymentFact[] = []): ClusterFacts {
  return {
    cluster: 'ganglion-sim',
    contexts: ['ganglion-sim'],
    namespaces: ['default', 'kube-system', 'apps', 'web', 'data', 'monitoring', 'staging'],
    deployments: [
      dep('coredns', 'kube-system', 'rancher/mirrored-coredns-coredns:1.12.0', 1),
      { ...dep('placemyparents', 'apps', 'registry.local/placemyparents:1.4', 3, { app: 'placemyparents', tier: 'backend' }), repo: '/demo-repos/placemyparents' },
      { ...dep('api-server', 'apps', 'registry.local/api-server:3.2.1', 1, { app: 'api-server', tier: 'backend' }), ready: 0 },
      dep('notifier', 'apps', 'registry.local/notifier:1.0.3', 1),
      dep('image-resizer', 'apps', 'registry.local/image-resizer:0.9.2', 1),
      dep('frontend', 'web', 'registry.local/frontend:2.3.0', 2, { app: 'frontend', tier: 'web' }),
      dep('web-proxy', 'web', 'nginx:1.27-alpine', 2, { app: 'web-proxy', tier: 'web' }),
      dep('docs-site', 'web', 'registry.local/docs-site:1.1.0', 1, { app: 'docs-site', tier: 'web' }),
      dep('postgres', 'data', 'postgres:16-alpine', 0),
      dep('redis', 'data', 'redis:7.4-alpine', 1),
      ...extra,
    ],
    pods: [
      { name: 'api-server-7d9f4-x2k1p', namespace: 'apps', deployment: 'api-server', phase: 'Running', ready: false, restarts: 7, reason: 'CrashLoopBackOff' },
      { name: 'placemyparents-5c8d-abcde', namespace: 'apps', deployment: 'placemyparents', phase: 'Running', ready: true, restarts: 0 },
    ],
  };
}
