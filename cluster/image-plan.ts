/**
 * Which container of a Deployment a deploy changes and to which image (`kubectl set image` as a pure plan),
 * plus the strategic merge patch that does it.
 */
import { GanglionError } from '../kernel/errors.js';
import { parseImageRef, withTag } from './image-ref.js';
import type { DeploymentShape } from './workload-shape.js';

export interface ImageTarget {
  /** A whole image reference; wins over tag. */
  image?: string | undefined;
  /** Only the tag ("2.0"): the container keeps its registry and repository. */
  tag?: string | undefined;
  container?: string | undefined;
}

export interface ImagePlan {
  container: string;
  before: string;
  after: string;
}

function sameRepository(a: string, b: string): boolean {
  const x = parseImageRef(a);
  const y = parseImageRef(b);
  return (x.registry ?? '') === (y.registry ?? '') && x.repository === y.repository;
}

/** Picks the container: the named one, the only one, the one running the same repository, or the Deployment's namesake. */
export function planImage(deployment: DeploymentShape, target: ImageTarget): ImagePlan {
  const name = deployment.metadata?.name ?? '';
  const containers = deployment.spec?.template.spec?.containers ?? [];
  const names = containers.map((c) => c.name);
  if (deployment.spec?.paused) {
    // kubectl set image would accept it, but nothing rolls out until resumed and the wait could only time out.
    throw new GanglionError(409, 'deployment_paused', `deployment "${name}" is paused, so a new image would not roll out; resume it first with kubectl rollout resume deployment/${name}${deployment.metadata?.namespace ? ` -n ${deployment.metadata.namespace}` : ''}`);
  }
  if (!target.image && !target.tag) throw new GanglionError(400, 'invalid_input', 'deploy needs either image (e.g. registry.local/app:2.0) or tag (e.g. 2.0)');
  if (target.image) parseImageRef(target.image);
  let chosen = target.container ? containers.find((c) => c.name === target.container) : undefined;
  if (target.container && !chosen) {
    throw new GanglionError(404, 'container_not_found', `deployment "${name}" has no container "${target.container}"; its containers: ${names.join(', ') || 'none'}`);
  }
  if (!chosen && containers.length === 1) chosen = containers[0];
  if (!chosen && target.image) {
    const matching = containers.filter((c) => c.image && sameRepository(c.image, target.image as string));
    if (matching.length === 1) chosen = matching[0];
  }
  chosen ??= containers.find((c) => c.name === name);
  if (!chosen) {
    throw new GanglionError(400, 'container_ambiguous', `deployment "${name}" has containers ${names.join(', ')}; say which one to change (container)`, { details: { containers: names } });
  }
  const before = chosen.image ?? '';
  const after = target.image ?? withTag(before, target.tag as string);
  return { container: chosen.name, before, after };
}

/** The patch `kubectl set image` sends: containers merge by name, so only this one's image changes. */
export function imagePatch(container: string, image: string): Record<string, unknown> {
  return { spec: { template: { spec: { containers: [{ name: container, image }] } } } };
}
