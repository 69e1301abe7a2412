/**
 * Finds the Kubernetes API permissions a function's source can exercise: starts at its handler, follows
 * relative imports symbol by symbol (a top-level declaration counts when its name appears in code that counts),
 * and maps client calls (`c.core.listNamespacedPod(`) and raw GET paths (`getJson(c, '/api/v1/nodes')`) to
 * RBAC triples. Best effort by design: a name mentioned counts as called, so it errs on the side of "uses".
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Permission { apiGroup: string; resource: string; verb: string }

const CLIENT_GROUP: Record<string, string> = { core: '', apps: 'apps', batch: 'batch' };
const VERB: Record<string, string> = { list: 'list', read: 'get', create: 'create', delete: 'delete', patch: 'patch', replace: 'update', deleteCollection: 'deletecollection' };
const SUBRESOURCE: Record<string, string> = { Log: 'log', Status: 'status', Scale: 'scale' };

const STATE_KINDS = new Set(['runs', 'approvals', 'auditrecords', 'monitors', 'pushpipelines', 'webhookdeliveries', 'approvalpolicies', 'logbaselines']);
const STATE_VERB: Record<string, string> = { get: 'get', list: 'list', listAll: 'list', create: 'create', replace: 'update', delete: 'delete' };

/** `listNamespacedReplicaSet` → replicasets; `readNamespacedPodLog` → pods/log. */
export function clientMethodPermission(client: string, method: string): Permission | undefined {
  const group = CLIENT_GROUP[client];
  const m = /^(deleteCollection|list|read|create|delete|patch|replace)(?:Namespaced)?([A-Z][a-zA-Z]*?)(ForAllNamespaces)?$/.exec(method);
  if (group === undefined || !m) return undefined;
  let kind = m[2] as string;
  let sub = '';
  for (const [suffix, name] of Object.entries(SUBRESOURCE)) {
    if (kind.endsWith(suffix) && kind !== suffix) { kind = kind.slice(0, -suffix.length); sub = name; }
  }
  const lower = kind.toLowerCase();
  const plural = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return { apiGroup: group, resource: sub ? `${plural}/${sub}` : plural, verb: VERB[m[1] as string] as string };
}

/** API group of a path prefix: '/api/v1' → '', '/apis/apps/v1' → 'apps'. */
function groupOf(prefix: string): string {
  const m = /^\/apis\/([^/]+)\//.exec(prefix);
  return m ? (m[1] as string) : '';
}

/** Every permission the code text calls directly. */
export function permissionsIn(code: string): Permission[] {
  const found: Permission[] = [];
  for (const m of code.matchAll(/\.(core|apps|batch)\.(\w+)\(/g)) {
    const p = clientMethodPermission(m[1] as string, m[2] as string);
    if (p) found.push(p);
  }
  // Ganglion's own objects: state.get('runs', id), state.listAll('monitors'), … (cluster-state/ganglion-objects.ts)
  for (const m of code.matchAll(/\.(get|list|listAll|create|replace|delete)(?:<[^>(]*>)?\(\s*'([a-z]+)'/g)) {
    if (!STATE_KINDS.has(m[2] as string)) continue;
    found.push({ apiGroup: 'ganglion.dev', resource: m[2] as string, verb: STATE_VERB[m[1] as string] as string });
  }
  // an enumerated readable set: readable('apps', ['deployments', …]) grants get and list, and the generic reader that
  // builds paths from discovery refuses anything outside the set (functions/kube-get/readable.ts)
  for (const m of code.matchAll(/\breadable\(\s*'([a-z0-9.-]*)',\s*\[([^\]]*)\]\s*\)/g)) {
    for (const res of (m[2] as string).matchAll(/'([a-z]+)'/g)) for (const verb of ['get', 'list']) found.push({ apiGroup: m[1] as string, resource: res[1] as string, verb });
  }
  // A change tool's kind table: kindRoute('apps', 'v1', 'Deployment', 'deployments', true, ['get', 'patch']) (cluster/kind-routes.ts).
  for (const m of code.matchAll(/\bkindRoute\(\s*'([^']*)',\s*'[^']*',\s*'\w+',\s*'([a-z/]+)',\s*(?:true|false),\s*\[([^\]]*)\]\s*\)/g)) {
    for (const verb of (m[3] as string).split(',').map((v) => v.trim().replace(/'/g, '')).filter(Boolean)) found.push({ apiGroup: m[1] as string, resource: m[2] as string, verb });
  }
  // read-cluster style: nsPath(namespace, '/api/v1', 'pods') is a list.
  for (const m of code.matchAll(/nsPath\([^,]+,\s*'([^']+)',\s*'([a-z]+)'\)/g)) found.push({ apiGroup: groupOf(`${m[1]}/`), resource: m[2] as string, verb: 'list' });
  // A literal path on one line: '/api/v1/nodes' or `/apis/apps/v1${ns ? `/namespaces/${ns}` : ''}/deployments` is a
  // list; `/api/v1/namespaces/${name}` with nothing after the name is a get, and so is a named object's subresource.
  for (const line of code.split('\n')) {
    const start = /[`'](\/apis?\/(?:[a-z0-9.-]+\/)?v1)/.exec(line);
    if (!start) continue;
    const group = groupOf(`${start[1]}/`);
    const rest = line.slice((start.index ?? 0) + 1 + (start[1] as string).length);
    if (/^\/namespaces\/\$\{[^}]*\}\)?[`']/.test(rest)) { found.push({ apiGroup: group, resource: 'namespaces', verb: 'get' }); continue; }
    // `/api/v1/namespaces/${ns}/pods/${name}/log`: a get of a named object's subresource
    const sub = /^\/namespaces\/\$\{[^}]*\}\)?\/([a-z]+)\/\$\{[^}]*\}\)?\/([a-z]+)[`']/.exec(rest);
    if (sub) { found.push({ apiGroup: group, resource: `${sub[1]}/${sub[2]}`, verb: 'get' }); continue; }
    const last = /\/([a-z]+)[`'](?![^`']*\/[a-z]+[`'])/.exec(rest);
    if (last) found.push({ apiGroup: group, resource: last[1] as string, verb: 'list' });
  }
  return found;
}

interface Decl { name: string; code: string }
interface SourceFile { decls: Decl[]; top: string; imports: { local: string; imported: string; from: string }[] }

const cache = new Map<string, SourceFile>();

/** Splits a file into its top-level declarations (by column-0 keywords) and records its relative imports. */
function readSource(file: string): SourceFile {
  const hit = cache.get(file);
  if (hit) return hit;
  const text = readFileSync(file, 'utf8');
  const imports: SourceFile['imports'] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/gm)) {
    if (/^import\s+type\b|^export\s+type\b/.test(m[0])) continue;
    const from = path.resolve(path.dirname(file), (m[2] as string).replace(/\.js$/, '.ts'));
    for (const part of (m[1] as string).split(',')) {
      const [imported, local] = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
      if (imported && !part.trim().startsWith('type ')) imports.push({ imported, local: local ?? imported, from });
    }
  }
  for (const m of text.matchAll(/^import\s+\*\s+as\s+(\w+)\s+from\s+'(\.[^']+)'/gm)) {
    imports.push({ imported: '*', local: m[1] as string, from: path.resolve(path.dirname(file), (m[2] as string).replace(/\.js$/, '.ts')) });
  }
  const decls: Decl[] = [];
  const top: string[] = [];
  let current: Decl | undefined;
  for (const line of text.split('\n')) {
    const d = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|class)\s+(\w+)/.exec(line);
    if (d) { current = { name: d[1] as string, code: '' }; decls.push(current); }
    else if (/^(?:export\s+)?(?:interface|type)\s/.test(line) || /^(?:import|export)\s/.test(line)) current = undefined;
    if (current) current.code += `${line}\n`;
    else if (!/^(?:import|export)\s/.test(line)) top.push(line);
  }
  const parsed = { decls, top: top.join('\n'), imports };
  cache.set(file, parsed);
  return parsed;
}

/** Permissions reachable from a whole file (its handler), or from one declaration in it, following the names it uses. */
export function reachablePermissions(entry: string, symbol?: string): { permissions: Permission[]; files: string[] } {
  const seen = new Set<string>();
  const files = new Set<string>();
  const out: Permission[] = [];
  const visit = (file: string, name: string | undefined) => {
    const key = `${file}#${name ?? '*'}`;
    if (seen.has(key) || !existsSync(file)) return;
    seen.add(key);
    files.add(file);
    const src = readSource(file);
    const code = name === undefined ? [src.top, ...src.decls.map((d) => d.code)].join('\n') : src.decls.filter((d) => d.name === name).map((d) => d.code).join('\n');
    out.push(...permissionsIn(code));
    for (const d of src.decls) if (d.name !== name && new RegExp(`\\b${d.name}\\b`).test(code)) visit(file, d.name);
    for (const imp of src.imports) {
      if (!new RegExp(`\\b${imp.local}\\b`).test(code)) continue;
      visit(imp.from, imp.imported === '*' ? undefined : imp.imported);
    }
  };
  visit(entry, symbol);
  return { permissions: dedupe(out), files: [...files] };
}

export function dedupe(perms: Permission[]): Permission[] {
  const keys = new Set(perms.map(key));
  return [...keys].sort().map((k) => { const [apiGroup, resource, verb] = k.split('|'); return { apiGroup: apiGroup as string, resource: resource as string, verb: verb as string }; });
}

export const key = (p: Permission): string => `${p.apiGroup}|${p.resource}|${p.verb}`;
