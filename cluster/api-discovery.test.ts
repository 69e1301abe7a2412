import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectionPath, matchResource, qualifiedName, type ApiResource } from './api-discovery.js';

const r = (group: string, resource: string, kind: string, shortNames: string[] = [], namespaced = true): ApiResource =>
  ({ group, version: group ? 'v1' : 'v1', resource, kind, namespaced, shortNames, singular: kind.toLowerCase(), verbs: ['get', 'list'] });
const served = [
  r('', 'pods', 'Pod', ['po']), r('', 'nodes', 'Node', ['no'], false), r('apps', 'deployments', 'Deployment', ['deploy']),
  r('apiextensions.k8s.io', 'customresourcedefinitions', 'CustomResourceDefinition', ['crd', 'crds'], false),
  r('ganglion.dev', 'monitors', 'Monitor', ['gmon']), r('example.com', 'pods', 'Pod'),
];

test('a word resolves as kubectl resolves it: plural, singular, kind in any case, short name, plural.group', () => {
  for (const [word, want] of [['deploy', 'deployments.apps'], ['Deployment', 'deployments.apps'], ['deployment', 'deployments.apps'], ['po', 'pods'], ['CRDs', 'customresourcedefinitions.apiextensions.k8s.io'], ['gmon', 'monitors.ganglion.dev'], ['monitors.ganglion.dev', 'monitors.ganglion.dev'], ['pods.example.com', 'pods.example.com']]) {
    const hit = matchResource(served, word);
    assert.is(hit && qualifiedName(hit), want, word);
  }
  assert.is(matchResource(served, 'widgets'), undefined);
});

test('the core group wins a name a custom resource shares, and a cluster-scoped kind has no namespace in its path', () => {
  assert.is(matchResource(served, 'pods')?.group, '');
  assert.is(collectionPath(matchResource(served, 'nodes')!, 'apps'), '/api/v1/nodes');
  assert.is(collectionPath(matchResource(served, 'deploy')!, 'apps'), '/apis/apps/v1/namespaces/apps/deployments');
});

test.run();
