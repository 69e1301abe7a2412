/**
 * Reads the repository's import graph from its TypeScript sources: every relative `import`/`export … from`/`import()`,
 * and every import of one of its own workspace packages by name (an edge into that package's folder).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file, as a .ts source where one exists. */
  to: string;
  /** The specifier as written. */
  specifier: string;
}

const SKIP = new Set(['node_modules', 'dist', 'dist-bundle', '.git', '.ganglion', 'fixtures', 'templates']);

/** Every .ts file under root, repository-relative, skipping build output, dependencies, fixtures and templates. */
export function listSources(root: string, dir = root, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) listSources(root, full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path.relative(root, full));
  }
  return out.sort();
}

/** The source with comments blanked out (strings, template literals and line breaks kept), so commented-out imports are not read. */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      // the comment's line breaks stay, so line numbers in what is left still point into the file
      out += ` ${src.slice(i, stop).replace(/[^\n]/g, '')}`;
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT = /(?:^|[;\s}])(?:import|export)\s[^;'"`]*?from\s*(['"])([^'"]+)\1|(?:^|[;\s}])import\s*(['"])([^'"]+)\3|import\(\s*(['"])([^'"]+)\5\s*\)/g;

/** The root package.json's workspaces by package name: name → repository-relative folder. */
export function workspacePackages(root: string): Map<string, string> {
  const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; workspaces?: string[] };
  const out = new Map<string, string>();
  if (!existsSync(path.join(root, 'package.json'))) return out;
  for (const folder of manifest(root).workspaces ?? []) {
    const name = manifest(path.join(root, folder)).name;
    if (name) out.set(name, path.normalize(folder));
  }
  return out;
}

/** Where a specifier leads in the repository: a relative path, or a workspace package's entry point (its index.ts). */
function targetOf(file: string, specifier: string, packages: Map<string, string>): string | undefined {
  if (/^\.{1,2}\//.test(specifier)) return path.normalize(path.join(path.dirname(file), specifier)).replace(/\.js$/, '.ts');
  const name = [...packages.keys()].find((n) => specifier === n || specifier.startsWith(`${n}/`));
  if (name === undefined) return undefined;
  const sub = specifier.slice(name.length).replace(/^\//, '') || 'index.js';
  return path.join(packages.get(name) as string, sub.replace(/\.js$/, '.ts'));
}

/** The imports of one file that lead into the repository (relative ones and its workspace packages), as repository paths. */
export function importsOf(root: string, file: string, packages: Map<string, string> = new Map()): ImportEdge[] {
  const src = stripComments(readFileSync(path.join(root, file), 'utf8'));
  const edges: ImportEdge[] = [];
  for (const m of src.matchAll(IMPORT)) {
    const specifier = (m[2] ?? m[4] ?? m[6]) as string;
    const to = targetOf(file, specifier, packages);
    if (to !== undefined) edges.push({ from: file, to, specifier });
  }
  return edges;
}

/** Every import into the repository of every source file under root. */
export function readImportGraph(root: string): ImportEdge[] {
  const packages = workspacePackages(root);
  return listSources(root).flatMap((file) => importsOf(root, file, packages));
}
