/** The function catalog: every function in stack.yml with its metadata, read from each folder's schema module. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GanglionError } from '../kernel/errors.js';
import type { FunctionMeta } from '../function-kit/function-module.js';
import type { Stack } from '../stack/stack-file.js';

/**
 * Loads `meta` from `<distRoot>/functions/<name>/schema.js` for each stack.yml function.
 * `distRoot` is the compiled tree (dist/), since stack.yml handlers point at source folders.
 */
export async function loadCatalog(stack: Stack, distRoot: string): Promise<FunctionMeta[]> {
  const metas: FunctionMeta[] = [];
  for (const [name, fn] of Object.entries(stack.functions)) {
    const folder = path.resolve(distRoot, fn.handler.replace(/^\.\//, ''));
    const file = path.join(folder, 'schema.js');
    let mod: { meta?: FunctionMeta };
    try {
      mod = (await import(pathToFileURL(file).href)) as { meta?: FunctionMeta };
    } catch (cause) {
      throw new GanglionError(500, 'catalog_load_failed', `cannot load the schema of function ${name} from ${file}: ${(cause as Error).message}`, { cause });
    }
    if (!mod.meta) throw new GanglionError(500, 'catalog_invalid', `${file} does not export meta`);
    if (mod.meta.name !== name) throw new GanglionError(500, 'catalog_invalid', `${file} names itself "${mod.meta.name}" but stack.yml calls it "${name}"`);
    metas.push(mod.meta);
  }
  return metas;
}
