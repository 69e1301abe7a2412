/** Discovery documents built from the resource table: /version, /api, /apis, group-version resource lists, OpenAPI v3 stubs. */
import { apiVersionOf, type ResourceInfo } from '../resource-table.js';
import type { ResourceRegistry } from '../resource-registry.js';

export const SERVER_VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean', buildDate: '2025-04-22T16:03:32Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
};

const serverAddress = [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }];

export function apiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: serverAddress };
}

function groupOf(group: string, versions: string[]) {
  const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = registry.groupVersions().filter((g) => g.group !== '').map(({ group, versions }) => groupOf(group, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(registry: ResourceRegistry, group: string) {
  const found = registry.groupVersions().find((g) => g.group === group && group !== '');
  if (!found) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(group, found.versions) };
}

function resourceEntries(info: ResourceInfo) {
  const main = {
    name: info.resource, singularName: info.singular, namespaced: info.namespaced, kind: info.kind, verbs: info.verbs,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
    storageVersionHash: Buffer.from(info.key).toString('base64').slice(0, 11),
  };
  const subs = info.subresources.map((sub) => {
    if (sub === 'scale') return { name: `${info.resource}/scale`, singularName: '', namespaced: info.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    if (sub === 'status') return { name: `${info.resource}/status`, singularName: '', namespaced: info.namespaced, kind: info.kind, verbs: ['get', 'patch', 'update'] };
    if (sub === 'log') return { name: `${info.resource}/log`, singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] };
    if (sub === 'eviction') return { name: `${info.resource}/eviction`, singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    return { name: `${info.resource}/${sub}`, singularName: '', namespaced: info.namespaced, kind: sub === 'binding' ? 'Binding' : info.kind, verbs: ['create'] };
  });
  return [main, ...subs];
}

/** The APIResourceList for one group/version, or undefined when it is not served. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const infos = registry.all().filter((i) => i.group === group && i.version === version);
  if (infos.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: infos.flatMap(resourceEntries) };
}

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

/** /openapi/v3: where each group version's document is. */
export function openApiV3Root(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, versions } of registry.groupVersions()) {
    for (const version of versions) {
      const p = gvPath(group, version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${Buffer.from(p).toString('hex').slice(0, 16)}` };
    }
  }
  return { paths };
}

/**
 * A minimal OpenAPI v3 document for one group version: one PATCH operation per kind that accepts the
 * fieldValidation query parameter, which is what kubectl checks before leaving validation to the server.
 */
export function openApiV3Document(registry: ResourceRegistry, group: string, version: string) {
  const infos = registry.all().filter((i) => i.group === group && i.version === version);
  if (infos.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const info of infos) {
    const base = `/${gvPath(group, version)}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.resource}/{name}`;
    const gvk = { group, version, kind: info.kind };
    const parameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } }));
    paths[base] = {
      patch: {
        operationId: `patch${info.kind}`, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters,
        requestBody: { content: { 'application/apply-patch+yaml': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas: {} } };
}

export { apiVersionOf };
