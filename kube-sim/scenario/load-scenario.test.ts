import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectStore } from '../store.js';
import { loadScenario, ScenarioError, seedScenario, simulationOf } from './load-scenario.js';
import { imageExists, behaviourOf } from './scenario.js';

test('home-lab holds the demo cluster: 3 arm64 Pi nodes, the app namespaces and the named Deployments', async () => {
  const scenario = await loadScenario('home-lab');
  const names = (kind: string) => scenario.objects.filter((o) => o.kind === kind).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`.replace(/^\//, ''));
  assert.equal(names('Node'), ['pi-1', 'pi-2', 'pi-3']);
  for (const ns of ['default', 'kube-system', 'apps', 'web', 'data', 'monitoring', 'staging']) assert.ok(names('Namespace').includes(ns), ns);
  for (const d of ['apps/placemyparents', 'apps/api-server', 'apps/notifier', 'apps/image-resizer', 'web/frontend', 'web/web-proxy', 'web/docs-site', 'data/batch-analytics', 'monitoring/grafana']) {
    assert.ok(names('Deployment').includes(d), d);
  }
  const web = scenario.objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.tier === 'web').map((o) => o.metadata.name);
  assert.equal(web.sort(), ['docs-site', 'frontend', 'web-proxy']);
});

test('the simulated registry holds placemyparents 1.4 and 2.0 but not the broken tag or notifier 1.0.3', async () => {
  const { simulation } = await loadScenario('home-lab');
  assert.ok(imageExists(simulation, 'registry.local/placemyparents:1.4'));
  assert.ok(imageExists(simulation, 'registry.local/placemyparents:2.0'));
  assert.not.ok(imageExists(simulation, 'registry.local/placemyparents:2.1-broken'));
  assert.not.ok(imageExists(simulation, 'registry.local/notifier:1.0.3'));
  assert.ok(imageExists(simulation, 'docker.io/library/nginx:1.27-alpine'));
  assert.ok(imageExists(simulation, 'ghcr.io/ganglion/ganglion-worker:0.1.0'));
  assert.equal(behaviourOf(simulation, 'registry.local/api-server:3.2.1').exit, { afterSeconds: 2, exitCode: 1 });
});

test('seeding replaces ${GANGLION_HOME}, applies API defaults and remembers the simulation for the controllers', async () => {
  const store = new ObjectStore();
  const scenario = await loadScenario('home-lab');
  seedScenario(store, scenario, { vars: { GANGLION_HOME: '/home/me/.ganglion' } });
  const d = store.mustGet('deployments', 'apps', 'placemyparents');
  assert.is(d.metadata.annotations?.['ganglion.dev/repo'], '/home/me/.ganglion/demo-repos/placemyparents');
  assert.is((d.spec as { template: { spec: { restartPolicy: string } } }).template.spec.restartPolicy, 'Always');
  assert.is(simulationOf(store), scenario.simulation);
  assert.is(store.mustGet('namespaces', undefined, 'apps').metadata.name, 'apps');
});

test('a scenario file is multi-document YAML; a document with simulation: is the simulation; owner references resolve by name', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scenario-'));
  const file = path.join(dir, 'tiny.yaml');
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Namespace', 'metadata: {name: demo}', '---',
    'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: owner, namespace: demo}', '---',
    'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: child, namespace: demo, ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: ""}]}', '---',
    'simulation:', '  registry: [nginx]', '',
  ].join('\n'));
  const scenario = await loadScenario(file);
  assert.is(scenario.name, 'tiny');
  assert.equal(scenario.simulation.registry, ['nginx']);
  const store = new ObjectStore();
  seedScenario(store, scenario);
  const owner = store.mustGet('configmaps', 'demo', 'owner');
  assert.is(store.mustGet('configmaps', 'demo', 'child').metadata.ownerReferences?.[0].uid, owner.metadata.uid);
});

test('an unknown scenario name is scenario_not_found naming the choices; an object without a kind is invalid_scenario', async () => {
  try {
    await loadScenario('nope');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ScenarioError);
    assert.is((err as ScenarioError).code, 'scenario_not_found');
    assert.match((err as Error).message, 'use home-lab, empty');
  }
  try {
    await loadScenario({ objects: [{ metadata: { name: 'x' } }] });
    assert.unreachable();
  } catch (err) {
    assert.is((err as ScenarioError).code, 'invalid_scenario');
  }
});

test.run();
