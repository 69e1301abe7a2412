import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClusterFacts } from '../plan.js';
import { configSync, secretNames } from './config-sync.js';

const facts: ClusterFacts = { cluster: 'ganglion-sim', contexts: ['ganglion-sim'], namespaces: ['apps', 'staging'], deployments: [], pods: [] };
const plan = (text: string) => {
  const m = configSync.match(text, facts);
  assert.ok(m, text);
  return configSync.build(m.entities, facts, text);
};

test('Secrets are synced only when named: "the secret X", "secrets X and Y", "the X secret"', () => {
  assert.equal(secretNames('sync config and the secret placemyparents-db from prod to staging'), ['placemyparents-db']);
  assert.equal(secretNames('copy secrets db-creds and api-key from prod into staging'), ['db-creds', 'api-key']);
  assert.equal(secretNames('sync config and the api-key secret from prod to staging'), ['api-key']);
  assert.is(secretNames('sync config from prod to staging'), undefined);
  assert.equal(plan('sync config and the secret placemyparents-db from prod to staging').steps[0]?.input, { from: 'prod', to: 'staging', secrets: ['placemyparents-db'] });
  assert.equal(plan('Sync config from prod to staging').steps[0]?.input, { from: 'prod', to: 'staging' });
});

test('"and secrets" without a name asks which, instead of copying every Secret', () => {
  const p = plan('sync configuration and secrets from prod into staging');
  assert.equal(p.steps, []);
  assert.match(p.question ?? '', /only Secrets named one by one/);
});

test.run();
