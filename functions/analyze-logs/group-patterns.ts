/** Groups categorised lines across pods into patterns and compares them with the stored baseline: new, rising, steady or falling. */
import { categorise, signature, suggestFix, type Category } from './log-patterns.js';

export interface PodLog {
  namespace: string;
  pod: string;
  owner?: string;
  container: string;
  previous: boolean;
  text: string;
  memoryLimit?: string;
}

export interface Pattern {
  category: Category;
  signature: string;
  count: number;
  /** namespace/pod, each once. */
  pods: string[];
  owners: string[];
  sample: string;
  trend: 'new' | 'rising' | 'steady' | 'falling';
  baselineCount?: number;
  fix: string;
}

/** Per signature: how often it was seen the last time (the baseline the next analysis compares against). */
export type Baseline = Record<string, { count: number; seenAt: string }>;

const SEVERITY: Record<Category, number> = { oom: 9, 'connection-refused': 8, 'disk-full': 8, dns: 7, tls: 7, exception: 6, timeout: 6, auth: 5, 'http-5xx': 5, error: 3 };

export function groupPatterns(logs: PodLog[], baseline: Baseline): Pattern[] {
  const groups = new Map<string, { category: Category; signature: string; count: number; pods: Set<string>; owners: Set<string>; sample: string; memoryLimit?: string; owner?: string }>();
  for (const log of logs) {
    for (const line of log.text.split('\n')) {
      const category = categorise(line);
      if (!category) continue;
      const sig = signature(line);
      const key = `${category} ${sig}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { category, signature: sig, count: 0, pods: new Set(), owners: new Set(), sample: line.trim().slice(0, 300), ...(log.memoryLimit ? { memoryLimit: log.memoryLimit } : {}), ...(log.owner ? { owner: log.owner } : {}) }));
      g.count++;
      g.pods.add(`${log.namespace}/${log.pod}`);
      if (log.owner) g.owners.add(`${log.namespace}/${log.owner}`);
    }
  }
  const out: Pattern[] = [];
  for (const [key, g] of groups) {
    const base = baseline[key];
    const trend: Pattern['trend'] = !base ? 'new' : g.count >= Math.max(base.count * 2, base.count + 3) ? 'rising' : g.count * 2 <= base.count ? 'falling' : 'steady';
    out.push({
      category: g.category, signature: g.signature, count: g.count, pods: [...g.pods].sort(), owners: [...g.owners].sort(), sample: g.sample, trend,
      ...(base ? { baselineCount: base.count } : {}),
      fix: suggestFix(g.category, g.sample, { ...(g.memoryLimit ? { memoryLimit: g.memoryLimit } : {}), ...(g.owner ? { owner: g.owner } : {}) }),
    });
  }
  const trendRank = { new: 0, rising: 1, steady: 2, falling: 3 };
  return out.sort((a, b) => SEVERITY[b.category] - SEVERITY[a.category] || trendRank[a.trend] - trendRank[b.trend] || b.count - a.count);
}

export function nextBaseline(patterns: Pattern[], now: string): Baseline {
  return Object.fromEntries(patterns.map((p) => [`${p.category} ${p.signature}`, { count: p.count, seenAt: now }]));
}
