/** Ranks names by how close they are to what a person typed: edit distance, with prefixes and substrings first. */

/** Levenshtein distance (insert, delete, substitute), in O(a·b) time and O(b) space. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Score of a candidate for a query (lower is closer): a prefix or substring match beats any edit. */
export function nameScore(query: string, name: string): number {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
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

/** The `limit` closest candidates, best first, each with its score; stable for equal scores. */
export function closestNames<T>(query: string, candidates: Iterable<Candidate<T>>, limit = 3): { value: T; score: number }[] {
  const scored: { value: T; score: number; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    let best = Infinity;
    for (const n of c.names) best = Math.min(best, nameScore(query, n));
    scored.push({ value: c.value, score: best, i: i++ });
  }
  scored.sort((a, b) => a.score - b.score || a.i - b.i);
  return scored.slice(0, limit).map(({ value, score }) => ({ value, score }));
}
