/** Reading fields of untyped wire objects without casts: a map, a list of maps, a string or a number, else empty. */

export type JsonMap = Record<string, unknown>;

export const obj = (v: unknown): JsonMap => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonMap) : {});
export const arr = (v: unknown): JsonMap[] => (Array.isArray(v) ? v.map(obj) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** The value at a dotted path (`status.phase`). */
export const at = (o: JsonMap, path: string): unknown => path.split('.').reduce<unknown>((v, k) => obj(v)[k], o);
