/** The real catalog loaded once at import, for brain tests (the bench loads it itself, so a broken schema is a note there, not a crash). */
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { loadStackCatalog } from './seed-catalog.js';

export const stackCatalog: FunctionMeta[] = await loadStackCatalog();
