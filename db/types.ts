import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/** The drizzle database every driver produces; core code depends on this type only. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export const DRIVER_NAMES = ['pglite', 'pg', 'neon-http'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

/** An open database plus what its owner needs to probe and close it. */
export interface DbHandle {
  db: Database;
  driver: DriverName;
  /** Runs statements atomically (one transaction, or one batch on neon-http). */
  runAtomic(statements: string[]): Promise<void>;
  /** Returns rows of a read-only query as plain objects. */
  queryRows<T = Record<string, unknown>>(statement: string): Promise<T[]>;
  /**
   * Calls `onNotify` for each Postgres NOTIFY on `channel` (sent at commit), until the
   * returned function stops it. Drivers that can hold a session have it (pg, PGlite);
   * over neon-http each query is its own request, so there is none.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
