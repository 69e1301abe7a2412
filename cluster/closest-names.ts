/**
 * Ranks names by how close they are to what a person typed: the one definition behind every "closest: …" hint,
 * so the same typo gets the same hint from the planner, the mutating functions and pod-logs.
 */
import { compareNames } from './name-order.js';

/** Levenshtein distance (insert, delete, substitute) in O(a·b) time and O(b) space; past `max` it stops early and says max + 1. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Lower case, spaces and underscores as hyphens: "API Server" → "api-server". */
export function normaliseName(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Score of a name for a query (lower is closer): equal 0, then a prefix, then a substring, then the edit distance. */
export function nameScore(query: string, name: string): number {
  const q = normaliseName(query);
  const n = normaliseName(name);
  if (n === q) return 0;
  if (n.startsWith(q)) return 0.1 + (n.length - q.length) / 1000;
  if (n.includes(q)) return 0.5 + (n.length - q.length) / 1000;
  return editDistance(q, n);
}

export interface Candidate<T> {
  /** Names the candidate goes by (pod name, workload name, app label); the best one counts. */
  names: string[];
  value: T;
}

/** The `limit` closest candidates, best first, each with its score; equal scores in name order, then in the order given. */
export function closestCandidates<T>(query: string, candidates: Iterable<Candidate<T>>, limit = 3): { value: T; score: number }[] {
  const scored: { value: T; score: number; name: string; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    let best = { score: Infinity, name: '' };
    for (const name of c.names) {
      const score = nameScore(query, name);
      if (score < best.score) best = { score, name };
    }
    scored.push({ value: c.value, ...best, i: i++ });
  }
  scored.sort((a, b) => a.score - b.score || compareNames(a.name, b.name) || a.i - b.i);
  return scored.slice(0, limit).map(({ value, score }) => ({ value, score }));
}

/** The `limit` names closest to `query`, best first, each name once. */
export function closestNames(query: string, names: Iterable<string>, limit = 3): string[] {
  return closestCandidates(query, [...new Set(names)].map((name) => ({ names: [name], value: name })), limit).map((c) => c.value);
}
