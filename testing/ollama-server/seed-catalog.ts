/** The real function catalog — every stack.yml function's compiled schema, as the planner hands it to the brain — for brain tests and the bench. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../host/catalog.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { loadStack } from '../../stack/stack-file.js';

/** dist/, where this module is compiled to dist/testing/ollama-server/. */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const stackFile = path.resolve(distRoot, '..', 'stack.yml');

/** stack.yml's functions without the planner itself, as `functions/planner/handler.ts` builds the catalog. */
export async function loadStackCatalog(): Promise<FunctionMeta[]> {
  return (await loadCatalog(loadStack(stackFile, {}), distRoot)).filter((m) => m.name !== 'planner');
}
