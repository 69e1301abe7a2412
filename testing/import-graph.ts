/** Reads the repository's import graph from its TypeScript sources: every relative `import`/`export … from`/`import()`. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

const IMPORT = /(?:^|[;\s}])(?:import|export)\s[^;'"`]*?from\s*(['"])(\.{1,2}\/[^'"]+)\1|(?:^|[;\s}])import\s*(['"])(\.{1,2}\/[^'"]+)\3|import\(\s*(['"])(\.{1,2}\/[^'"]+)\5\s*\)/g;

/** The relative imports of one file, resolved to repository paths. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const src = stripComments(readFileSync(path.join(root, file), 'utf8'));
  const edges: ImportEdge[] = [];
  for (const m of src.matchAll(IMPORT)) {
    const specifier = m[2] ?? m[4] ?? m[6];
    const target = path.normalize(path.join(path.dirname(file), specifier));
    edges.push({ from: file, to: target.replace(/\.js$/, '.ts'), specifier });
  }
  return edges;
}

/** Every relative import of every source file under root. */
export function readImportGraph(root: string): ImportEdge[] {
  return listSources(root).flatMap((file) => importsOf(root, file));
}
