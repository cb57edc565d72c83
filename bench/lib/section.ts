import type { BenchConfig } from '../config.ts';

/** A printable table: one header row and string cells. */
export interface Table {
  /** Lines printed above the table (what was measured, and how). */
  caption?: string[];
  columns: string[];
  rows: string[][];
  /** Lines printed under the table (caveats, anomalies). */
  notes?: string[];
}

export interface SectionContext {
  config: BenchConfig;
  /** Registers a teardown step; steps run last-first when the section ends, fails or is interrupted. */
  defer(label: string, task: () => Promise<void> | void): void;
  /** Progress output (stderr), kept apart from the printed results. */
  log(message: string): void;
}

export interface SectionResult {
  table: Table;
  /** Everything worth keeping in the JSON results. */
  details: Record<string, unknown>;
}

/** One independent part of `npm run bench`; `bench/run.ts` runs them in order. */
export interface Section {
  name: string;
  title: string;
  run(context: SectionContext): Promise<SectionResult>;
}
