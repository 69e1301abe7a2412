/** The rolling-update arithmetic of the Deployment controller (maxSurge/maxUnavailable), as pure functions of counts. */

export interface RsCounts { name: string; replicas: number; available: number; created: number }

/** "25%" of 3 → 1 (surge rounds up) or 0 (unavailable rounds down); plain integers pass through. */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean, fallback: string): number {
  const v = value === undefined || value === null ? fallback : value;
  if (typeof v === 'number') return Math.max(0, Math.floor(v));
  const m = /^(\d+)%$/.exec(String(v).trim());
  if (!m) return Math.max(0, Number.parseInt(String(v), 10) || 0);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function surgeAndUnavailable(strategy: { rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } | undefined, replicas: number): { maxSurge: number; maxUnavailable: number } {
  const maxSurge = resolveIntOrPercent(strategy?.rollingUpdate?.maxSurge, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(strategy?.rollingUpdate?.maxUnavailable, replicas, false, '25%');
  // both zero would deadlock a rollout; Kubernetes allows one unavailable pod then
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** How many replicas the new ReplicaSet should have now (reconcileNewReplicaSet). */
export function newReplicaSetSize(replicas: number, maxSurge: number, newRs: RsCounts, old: RsCounts[]): number {
  if (newRs.replicas >= replicas) return replicas;
  const current = newRs.replicas + old.reduce((n, rs) => n + rs.replicas, 0);
  const maxTotal = replicas + maxSurge;
  if (current >= maxTotal) return newRs.replicas;
  return newRs.replicas + Math.min(maxTotal - current, replicas - newRs.replicas);
}

/** New sizes for the old ReplicaSets (reconcileOldReplicaSets: first unhealthy pods, then down to minAvailable). */
export function oldReplicaSetSizes(replicas: number, maxUnavailable: number, newRs: RsCounts, old: RsCounts[]): Map<string, number> {
  const sizes = new Map(old.map((rs) => [rs.name, rs.replicas]));
  const oldCount = old.reduce((n, rs) => n + rs.replicas, 0);
  if (oldCount === 0) return sizes;
  const all = oldCount + newRs.replicas;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = Math.max(0, newRs.replicas - newRs.available);
  const maxScaledDown = all - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;
  const oldest = [...old].sort((a, b) => a.created - b.created);
  let cleaned = 0;
  for (const rs of oldest) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = Math.max(0, rs.replicas - rs.available);
    if (unhealthy === 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(rs.name, rs.replicas - down);
    cleaned += down;
  }
  const available = newRs.available + old.reduce((n, rs) => n + Math.min(rs.available, sizes.get(rs.name) ?? 0), 0);
  if (available <= minAvailable) return sizes;
  let budget = available - minAvailable;
  for (const rs of oldest) {
    if (budget <= 0) break;
    const current = sizes.get(rs.name) ?? 0;
    const down = Math.min(current, budget);
    sizes.set(rs.name, current - down);
    budget -= down;
  }
  return sizes;
}
