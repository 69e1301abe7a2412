/** Kubernetes resource quantities ("250m", "2", "128Mi", "8128548Ki", "1e3") as numbers the scheduler can add. */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity as a plain number (cores for cpu, bytes for memory); 0 when absent or unreadable. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const m = /^([+-]?[0-9.]+)(e[+-]?[0-9]+)?([a-zA-Z]*)$/.exec(value.trim());
  if (!m) return 0;
  const base = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : 1);
  const suffix = m[3];
  if (suffix in BINARY) return base * BINARY[suffix];
  if (suffix in DECIMAL) return base * DECIMAL[suffix];
  return 0;
}

export interface Requests { cpu: number; memory: number }

interface ContainerLike { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }

/** What a pod asks the scheduler for: the sum of its containers' requests (limits stand in when requests are absent). */
export function podRequests(spec: { containers?: ContainerLike[] } | undefined): Requests {
  const out: Requests = { cpu: 0, memory: 0 };
  for (const c of spec?.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    out.cpu += parseQuantity(req.cpu ?? lim.cpu);
    out.memory += parseQuantity(req.memory ?? lim.memory);
  }
  return out;
}

/** The pod's QoS class as Kubernetes computes it. */
export function qosClass(spec: { containers?: ContainerLike[] } | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = spec?.containers ?? [];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const lim = c.resources?.limits ?? {};
    const req = c.resources?.requests ?? lim;
    return ['cpu', 'memory'].every((r) => lim[r] !== undefined && parseQuantity(req[r] ?? lim[r]) === parseQuantity(lim[r]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
