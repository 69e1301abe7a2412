/** Close-name matching for resolving what a person typed to the names a cluster really holds. */
import { compareNames } from '../../cluster/name-order.js';

/** Levenshtein distance with an early exit past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Lower case, spaces and underscores as hyphens: "API Server" → "api-server". */
export function normaliseName(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/^-+|-+$/g, '');
}

/** How many typos a name of this length may carry and still count as meant. */
export function typoBudget(name: string): number {
  return name.length <= 4 ? 1 : name.length <= 9 ? 2 : 3;
}

/** Names sorted by closeness to `query` (distance on normalised names; containment counts as close). */
export function closestNames(query: string, names: string[], limit = 3): string[] {
  const q = normaliseName(query);
  const scored = [...new Set(names)].map((n) => {
    const d = editDistance(q, n);
    const contains = n.includes(q) || q.includes(n);
    return { n, score: contains ? Math.min(d, 1) : d };
  });
  return scored.sort((a, b) => a.score - b.score || compareNames(a.n, b.n)).slice(0, limit).map((s) => s.n);
}
