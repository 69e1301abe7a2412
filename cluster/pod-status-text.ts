/**
 * What kubectl prints for a pod in its STATUS, READY and RESTARTS columns and which workload owns it,
 * computed the way kubectl's pod printer does, so our answers line up with `kubectl get pods`.
 */
import type { Pod } from './kube-shapes.js';

function initializedTrue(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
}

function readyTrue(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** kubectl's STATUS column (pkg/printers printPod): phase, then init containers, then the last problem container. */
export function podStatusText(pod: Pod): string {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || 'Unknown';
  const scheduled = (status.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (scheduled?.reason === 'SchedulingGated') reason = 'SchedulingGated';
  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${pod.spec?.initContainers?.length ?? inits.length}`;
    break;
  }
  if (!initializing || initializedTrue(pod)) {
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i]!;
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = readyTrue(pod) ? 'Running' : 'NotReady';
  }
  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }
  return reason;
}

/** Restarts of the app containers (init containers while the pod is still initialising), as kubectl counts them. */
export function podRestarts(pod: Pod): number {
  let n = 0;
  for (const c of pod.status?.containerStatuses ?? []) n += c.restartCount ?? 0;
  if (n === 0) for (const c of pod.status?.initContainerStatuses ?? []) n += c.restartCount ?? 0;
  return n;
}

/** READY column: ready app containers / app containers. */
export function podReadyText(pod: Pod): string {
  const total = pod.spec?.containers?.length ?? pod.status?.containerStatuses?.length ?? 0;
  const ready = (pod.status?.containerStatuses ?? []).filter((c) => c.ready).length;
  return `${ready}/${total}`;
}

/**
 * The workload a pod belongs to, as `kind/name` (deployment/api-server). A ReplicaSet named
 * `<deployment>-<pod-template-hash>` belongs to that Deployment — the Deployment controller names them so —
 * which saves listing ReplicaSets.
 */
export function podOwner(pod: Pod): string | undefined {
  const refs = pod.metadata?.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  if (!ref) return undefined;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) {
    return `deployment/${ref.name.slice(0, -hash.length - 1)}`;
  }
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}
