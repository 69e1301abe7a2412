/** What a kubectl table printer is: its columns and how it fills a row from an object. */
import type { JsonMap } from '../json-fields.js';

/** A table cell as the Table API carries it. */
export type Cell = string | number | boolean | null;
export interface Column { name: string; type: string; format?: string; priority?: number; description?: string }
export interface Printer { columns: Column[]; cells(o: JsonMap, now: number): Cell[] }
