/**
 * How a canary shares a Service with its stable version: a second Deployment `<name>-canary` whose pods carry the
 * stable's labels (so the Service's selector takes them) plus `track: canary`, weighted by replicas. The Service
 * sends requests round-robin over ready pods, so a version's share is its share of the pods.
 *
 * The split rule: with the stable at T replicas and a wanted share p %, the canary gets c = max(1, round(T·p/(100−p)))
 * pods and the stable s = max(T, round(c·(100−p)/p)) pods, at most MAX_PODS together; the share is c/(s+c). The
 * stable is never scaled below T (no capacity is taken away), and goes back to T when the canary ends.
 * 20 % of 3 → 1 canary beside 4 stable (20 %); 50 % of 3 → 3 beside 3; 10 % of 3 → 1 beside 9 (10 %).
 */
import type { V1Deployment } from '@kubernetes/client-node';

export const MAX_PODS = 12;
export const CANARY_OF = 'ganglion.dev/canary-of';
export const CANARY_PERCENT = 'ganglion.dev/canary-percent';
export const STABLE_REPLICAS = 'ganglion.dev/stable-replicas';
export const CANARY_BASELINE = 'ganglion.dev/canary-baseline';
export const TRACK_LABEL = 'track';

export const canaryName = (stable: string) => `${stable}-canary`;

export interface Split { stable: number; canary: number; percent: number }

export function splitFor(stableReplicas: number, percent: number): Split {
  const t = Math.max(1, stableReplicas);
  const p = Math.min(99, Math.max(1, percent));
  const canary = Math.min(MAX_PODS - t, Math.max(1, Math.round((t * p) / (100 - p))));
  const stable = Math.min(MAX_PODS - canary, Math.max(t, Math.round((canary * (100 - p)) / p)));
  return { stable, canary, percent: Math.round((1000 * canary) / (stable + canary)) / 10 };
}

/** The canary Deployment: the stable's pod template with the new image and `track: canary`, its own selector. */
export function canaryDeployment(stable: V1Deployment, opts: { image: string; container: string; replicas: number; percent: number; baseline: string }): V1Deployment {
  const name = stable.metadata?.name ?? '';
  const template = structuredClone(stable.spec?.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}), [TRACK_LABEL]: 'canary' };
  template.metadata = { ...(template.metadata ?? {}), labels };
  for (const c of template.spec?.containers ?? []) if (c.name === opts.container) c.image = opts.image;
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: canaryName(name), namespace: stable.metadata?.namespace ?? 'default',
      labels: { ...(stable.metadata?.labels ?? {}), [TRACK_LABEL]: 'canary' },
      annotations: { [CANARY_OF]: name, [CANARY_PERCENT]: String(opts.percent), [STABLE_REPLICAS]: String(stable.spec?.replicas ?? 1), [CANARY_BASELINE]: opts.baseline },
    },
    spec: { replicas: opts.replicas, selector: { matchLabels: { ...(stable.spec?.selector?.matchLabels ?? {}), [TRACK_LABEL]: 'canary' } }, template },
  };
}
