import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolvePod } from './resolve-pod.js';
import { GanglionError } from '../kernel/errors.js';
import type { Pod } from './kube-shapes.js';

function pod(ns: string, name: string, opts: { deploy?: string; hash?: string; labels?: Record<string, string>; created?: string; crash?: boolean } = {}): Pod {
  const hash = opts.hash ?? '7d9f4';
  return {
    metadata: {
      name, namespace: ns, creationTimestamp: opts.created ?? '2026-11-25T10:00:00Z',
      labels: { ...(opts.deploy ? { 'pod-template-hash': hash } : {}), ...opts.labels },
      ...(opts.deploy ? { ownerReferences: [{ kind: 'ReplicaSet', name: `${opts.deploy}-${hash}`, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'main' }] },
    status: {
      phase: 'Running',
      containerStatuses: [opts.crash
        ? { name: 'main', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } }
        : { name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
}

const cluster: Pod[] = [
  pod('apps', 'api-server-7d9f4-aaaaa', { deploy: 'api-server', created: '2026-11-25T09:00:00Z' }),
  pod('apps', 'api-server-7d9f4-x2k1p', { deploy: 'api-server', crash: true, created: '2026-11-25T08:00:00Z' }),
  pod('apps', 'placemyparents-5b6c7-q1', { deploy: 'placemyparents', hash: '5b6c7' }),
  pod('web', 'frontend-6f7d8-a1', { deploy: 'frontend', hash: '6f7d8', labels: { 'app.kubernetes.io/name': 'shop' } }),
  pod('web', 'frontend-6f7d8-b2', { deploy: 'frontend', hash: '6f7d8', labels: { 'app.kubernetes.io/name': 'shop' }, created: '2026-11-25T11:00:00Z' }),
  pod('monitoring', 'node-exporter', { labels: { app: 'exporter' } }),
];

test('an exact pod name resolves to that pod', () => {
  const m = resolvePod('api-server-7d9f4-aaaaa', cluster);
  assert.is(m.name, 'api-server-7d9f4-aaaaa');
  assert.is(m.how, 'exact');
});

test('a Deployment name resolves to its crash-looping pod first', () => {
  const m = resolvePod('api-server', cluster);
  assert.is(m.name, 'api-server-7d9f4-x2k1p');
  assert.is(m.how, 'workload');
  assert.is(m.via, 'deployment/api-server');
  assert.equal(m.others, ['apps/api-server-7d9f4-aaaaa']);
  assert.is(resolvePod('the api-server pod', cluster).name, 'api-server-7d9f4-x2k1p');
  assert.is(resolvePod('deployment/api-server', cluster).name, 'api-server-7d9f4-x2k1p');
});

test('among healthy pods of a workload the newest wins', () => {
  assert.is(resolvePod('frontend', cluster).name, 'frontend-6f7d8-b2');
});

test('an app label resolves (app and app.kubernetes.io/name)', () => {
  const shop = resolvePod('shop', cluster);
  assert.is(shop.how, 'label');
  assert.is(shop.via, 'app.kubernetes.io/name=shop');
  assert.is(resolvePod('exporter', cluster).name, 'node-exporter');
});

test('a name prefix and a one-letter typo resolve', () => {
  assert.is(resolvePod('placemyparents-5b6c7', cluster).how, 'prefix');
  const typo = resolvePod('api-servr', cluster);
  assert.is(typo.how, 'close');
  assert.is(typo.name, 'api-server-7d9f4-x2k1p');
});

test('no match throws 404 naming the closest pods in the namespace', () => {
  const apps = cluster.filter((p) => p.metadata?.namespace === 'apps');
  try {
    resolvePod('api-srv', apps, { namespace: 'apps' });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, GanglionError);
    const e = err as GanglionError;
    assert.is(e.status, 404);
    assert.is(e.message, 'no pod matches "api-srv" in namespace apps; closest: api-server-7d9f4-aaaaa, api-server-7d9f4-x2k1p, placemyparents-5b6c7-q1');
  }
});

test('across namespaces the 404 names namespace/pod, and an empty namespace says so', () => {
  assert.throws(() => resolvePod('api-srv', cluster), /no pod matches "api-srv" in any namespace; closest: apps\/api-server-7d9f4-/);
  assert.throws(() => resolvePod('x', [], { namespace: 'empty' }), /no pod matches "x" in namespace empty; that namespace has no pods/);
});

test.run();
