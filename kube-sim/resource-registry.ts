/** The resource types one API server serves: the built-in table plus the versions CustomResourceDefinitions add. */
import { RESOURCES, type ResourceInfo } from './resource-table.js';

// served-only groups (metrics) reuse plural names that the store keeps under the core group
const BUILT_IN = new Map(RESOURCES.filter((info) => info.group !== 'metrics.k8s.io').map((info) => [info.key, info]));

/** Kubernetes' version order (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else, alphabetically). */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return a.localeCompare(b);
}

export class ResourceRegistry {
  /** by CRD name: the served versions of its resource */
  private readonly custom = new Map<string, ResourceInfo[]>();

  /** The resource stored under a key (a built-in plural or a CRD name). */
  byKey(key: string): ResourceInfo | undefined {
    return BUILT_IN.get(key) ?? this.custom.get(key)?.[0];
  }

  /** The resource a URL's group/version/plural names. */
  forPath(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.all().find((info) => info.resource === resource && info.group === group && info.version === version);
  }

  all(): readonly ResourceInfo[] {
    if (this.custom.size === 0) return RESOURCES;
    return [...RESOURCES, ...[...this.custom.values()].flat()];
  }

  /** Serves a CRD's versions (replacing what it served before). */
  define(crdName: string, versions: ResourceInfo[]): void {
    if (versions.length === 0) this.custom.delete(crdName);
    else this.custom.set(crdName, versions);
  }

  forget(crdName: string): void {
    this.custom.delete(crdName);
  }

  /** Every served group with its versions, preferred first; core first, then groups in the order they were added. */
  groupVersions(): { group: string; versions: string[] }[] {
    const seen = new Map<string, Set<string>>();
    for (const info of this.all()) {
      const versions = seen.get(info.group) ?? new Set<string>();
      versions.add(info.version);
      seen.set(info.group, versions);
    }
    return [...seen].map(([group, versions]) => ({ group, versions: [...versions].sort(compareVersions) }));
  }
}
