import { readMigrationFiles } from 'drizzle-orm/migrator';
import { dbErrorCode, SCHEMA_FIX } from '../errors.ts';
import type { DbHandle } from '../types.ts';
import { MIGRATIONS_FOLDER, MIGRATIONS_TABLE } from './migrate.ts';

/** How the database's schema compares with the migrations this version ships. */
export type SchemaState =
  | { state: 'current'; applied: number }
  /** Migrations this version needs are not applied (`applied` 0: an empty database). */
  | { state: 'behind'; applied: number; pending: number }
  /** The database has migrations this version does not know: a newer version migrated it (a rollback). */
  | { state: 'ahead'; applied: number; unknown: number };

/**
 * Reads the migrations bookkeeping table (drizzle-kit's) and compares it with the
 * migration files. A database without the table has no migrations applied.
 */
export async function readSchemaState(handle: DbHandle, migrationsFolder = MIGRATIONS_FOLDER): Promise<SchemaState> {
  const shipped = readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis);
  let applied: number[];
  try {
    const rows = await handle.queryRows<{ created_at: string | number }>(`SELECT created_at FROM ${MIGRATIONS_TABLE}`);
    applied = rows.map((row) => Number(row.created_at));
  } catch (error) {
    // 3F000: no `drizzle` schema; 42P01: no table. Anything else (unavailable) is the caller's to handle.
    const code = dbErrorCode(error);
    if (code !== '3F000' && code !== '42P01') throw error;
    applied = [];
  }
  // The same rule as `migrate`: a migration is pending when it is newer than the last one applied.
  const last = applied.length ? Math.max(...applied) : -1;
  const newestShipped = shipped.length ? Math.max(...shipped) : -1;
  const pending = shipped.filter((when) => when > last).length;
  const unknown = applied.filter((when) => when > newestShipped).length;
  if (pending > 0) return { state: 'behind', applied: applied.length, pending };
  if (unknown > 0) return { state: 'ahead', applied: applied.length, unknown };
  return { state: 'current', applied: applied.length };
}

/** Start-up found a database whose schema is older than this version (or absent). */
export class SchemaNotMigrated extends Error {
  readonly pending: number;
  readonly applied: number;
  constructor(state: { applied: number; pending: number }) {
    const what =
      state.applied === 0
        ? `the database has no schema yet (${state.pending} migrations to apply)`
        : `the database schema is older than this version (${state.pending} of ${state.applied + state.pending} migrations pending)`;
    super(`${what}: ${SCHEMA_FIX}`);
    this.name = 'SchemaNotMigrated';
    this.pending = state.pending;
    this.applied = state.applied;
  }
}
