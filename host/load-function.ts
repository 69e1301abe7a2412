/** Loads a function module from its folder (functions/<name>) and checks it has what the runtime needs. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GanglionError } from '../kernel/errors.js';
import type { FunctionModule } from '../function-kit/function-module.js';

export async function loadFunctionModule(folder: string): Promise<FunctionModule> {
  const file = path.resolve(folder, 'handler.js');
  let mod: Partial<FunctionModule>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Partial<FunctionModule>;
  } catch (cause) {
    throw new GanglionError(500, 'function_load_failed', `cannot load ${file}: ${(cause as Error).message}; run "npm run build" first`, { cause });
  }
  if (!mod.meta || typeof mod.handle !== 'function') {
    throw new GanglionError(500, 'function_invalid', `${file} must export "meta" and "handle"`);
  }
  return mod as FunctionModule;
}
