/** Label and field selectors as the Kubernetes API parses them, compiled to predicates over plain objects. */
import { KubeStatusError } from './kube-status-error.js';

export type ObjectPredicate = (obj: { metadata: { labels?: Record<string, string> } } & Record<string, unknown>) => boolean;

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function invalidSelector(selector: string, why: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', `unable to parse requirement: ${why} in selector "${selector}"`);
}

function parseTerm(term: string, selector: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  let req: Requirement;
  if (set) {
    req = { key: set[1], op: set[2] as 'in' | 'notin', values: set[3].split(',').map((v) => v.trim()).filter((v) => v !== '') };
  } else if (term.startsWith('!')) {
    req = { key: term.slice(1).trim(), op: '!exists' };
  } else {
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eq) req = { key: eq[1], op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3]] };
    else if (/^[^=!\s()]+$/.test(term)) req = { key: term, op: 'exists' };
    else throw invalidSelector(selector, `could not parse "${term}"`);
  }
  if (!LABEL_KEY.test(req.key)) throw invalidSelector(selector, `invalid label key "${req.key}"`);
  return req;
}

/** Compiles a labelSelector (=, ==, !=, in, notin, exists, !exists) into a predicate; throws 400 on bad syntax. */
export function compileLabelSelector(selector: string | undefined): ObjectPredicate | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const reqs = splitTerms(selector).map((t) => parseTerm(t, selector));
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((req) => {
      const has = Object.prototype.hasOwnProperty.call(labels, req.key);
      switch (req.op) {
        case 'exists': return has;
        case '!exists': return !has;
        case 'in': return has && req.values.includes(labels[req.key]);
        case 'notin': return !has || !req.values.includes(labels[req.key]);
      }
    });
  };
}

/** The value at a dotted path (`status.phase`, `involvedObject.name`) as a string, '' when absent. */
export function fieldValue(obj: Record<string, unknown>, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/** Compiles a fieldSelector (`metadata.name=x,status.phase!=Running`) into a predicate; throws 400 on bad syntax. */
export function compileFieldSelector(selector: string | undefined): ObjectPredicate | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new KubeStatusError(400, 'BadRequest', `invalid selector: '${selector}'; can't understand '${term}'`);
    return { path: m[1], negate: m[2] === '!=', value: m[3].trim() };
  });
  return (obj) => reqs.every((req) => (fieldValue(obj, req.path) === req.value) !== req.negate);
}
