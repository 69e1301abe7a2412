/** A small kube-sim for code-operation tests: placemyparents (annotated with the demo repository; its demo app runs for real), a crashing app, fast timing. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { createDemoRepo } from '../workers/demo-repo.js';

const TIMING = { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, secondMs: 20, crashBackoffMs: 60_000, maxBackoffMs: 60_000, jobBackoffMs: 10, terminateMs: 10, killGraceMs: 300 };

function deployment(name: string, image: string, replicas: number, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'apps', labels: { app: name }, annotations },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] } } },
  };
}

export async function startCodeOpsCluster(): Promise<{ sim: KubeSim; home: string; repo: string }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const repo = createDemoRepo(path.join(home, 'demo-repos', 'placemyparents'));
  const sim = await startKubeSim({
    home, port: 0, timing: TIMING,
    scenario: {
      name: 'code-ops',
      objects: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'pi-1', labels: { 'kubernetes.io/arch': 'arm64' } }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
        deployment('placemyparents', 'registry.local/placemyparents:1.4', 2, { 'ganglion.dev/repo': repo }),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'placemyparents', namespace: 'apps' }, spec: { selector: { app: 'placemyparents' }, ports: [{ port: 80, targetPort: 8080 }] } },
        deployment('api-server', 'registry.local/api-server:3.1', 1),
      ],
      simulation: { images: { 'registry.local/placemyparents': { serve: { api: '/api/listings', versions: { '2.1': { apiStatus: 500 } } } }, 'registry.local/api-server': { exit: { afterSeconds: 1, exitCode: 1 }, logs: { exit: ['Error: connect ECONNREFUSED 10.43.12.7:5432'] } } } },
    },
  });
  return { sim, home, repo };
}
