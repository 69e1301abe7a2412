/** kubectl rollout restart (objectrestarter.go) as a pure plan: the restartedAt annotation patch, refusing paused Deployments. */
import { GanglionError } from '../kernel/errors.js';
import type { Change } from '../events/change.js';
import type { DeploymentShape } from './workload-shape.js';

/** The pod-template annotation kubectl sets; any template change makes the controller roll every pod. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** RFC 3339 to the second, as kubectl writes it (time.RFC3339). */
export function restartStamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The restart change and its patch; refuses what kubectl refuses. */
export function planRestart(d: DeploymentShape, stamp: string, cluster: string | undefined): { change: Change; patch: Record<string, unknown> } {
  const { name, namespace } = { name: d.metadata?.name ?? '', namespace: d.metadata?.namespace ?? 'default' };
  if (d.spec?.paused) {
    throw new GanglionError(409, 'deployment_paused', `can't restart paused deployment ${namespace}/${name} (run kubectl rollout resume deployment/${name} -n ${namespace} first)`);
  }
  const before = d.spec?.template.metadata?.annotations?.[RESTARTED_AT] ?? null;
  if (before === stamp) {
    throw new GanglionError(409, 'restart_too_soon', `deployment ${namespace}/${name} was restarted within this second already; wait a moment before restarting it again`);
  }
  const change: Change = { object: `deployment/${name}`, namespace, ...(cluster ? { cluster } : {}), field: 'restartedAt', before, after: stamp };
  return { change, patch: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } } } };
}
