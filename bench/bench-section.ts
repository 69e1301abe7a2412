/** What one bench section reports: figures with units, the goal each is held to, and notes. */
export interface BenchRow {
  name: string;
  value: number | string;
  unit?: string;
  /** The goal as a person reads it, e.g. "≤ 1.25×" or "≥ 0.8×". */
  goal?: string;
  /** Whether the goal is met; absent when there is no goal. */
  ok?: boolean;
}

export interface BenchSection {
  title: string;
  rows: BenchRow[];
  notes?: string[];
}

/** A bench module: `bench/<topic>.ts` exporting `run`. */
export type BenchRun = () => Promise<BenchSection>;
