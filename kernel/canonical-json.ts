/** Canonical JSON: the same value always gives the same text, whatever order its object keys were written in. */

/**
 * JSON with object keys sorted by code unit and keys whose value is undefined left out (as JSON.stringify leaves
 * them out). Approval tokens sign this text, so its output for a given input must never change: a token signed
 * before an upgrade has to verify after it.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
