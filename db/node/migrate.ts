import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { DbHandle } from '../types.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

// Same bookkeeping table as drizzle-kit, so either tool sees the other's work.
export const MIGRATIONS_TABLE = 'drizzle.__drizzle_migrations';
const TABLE = MIGRATIONS_TABLE;
// Serializes concurrent migrators (replicas starting together, a Helm hook and a dev).
const LOCK_KEY = 7_263_091_155;

export interface MigrateResult {
  applied: number;
}

/**
 * Applies pending migrations atomically on any driver: one transaction (pg, PGlite)
 * or one batch (neon-http), behind an advisory lock. If another migrator won the
 * race, the batch fails, nothing is kept, and the re-check finds nothing to do.
 */
export async function migrate(handle: DbHandle, migrationsFolder = MIGRATIONS_FOLDER): Promise<MigrateResult> {
  const migrations = readMigrationFiles({ migrationsFolder });
  // IF NOT EXISTS alone races (two creators both miss, one hits a unique violation).
  await handle.runAtomic([
    `SELECT pg_advisory_xact_lock(${LOCK_KEY})`,
    'CREATE SCHEMA IF NOT EXISTS drizzle',
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  ]);
  for (let attempt = 1; ; attempt++) {
    const [last] = await handle.queryRows<{ created_at: string | number }>(
      `SELECT created_at FROM ${TABLE} ORDER BY created_at DESC LIMIT 1`,
    );
    const lastApplied = last ? Number(last.created_at) : -1;
    const pending = migrations.filter((m) => m.folderMillis > lastApplied);
    if (pending.length === 0) return { applied: 0 };
    const statements = [
      `SELECT pg_advisory_xact_lock(${LOCK_KEY})`,
      ...pending.flatMap((m) => m.sql.map((s) => s.trim()).filter(Boolean)),
      ...pending.map((m) => `INSERT INTO ${TABLE} (hash, created_at) VALUES ('${m.hash}', ${m.folderMillis})`),
    ];
    try {
      await handle.runAtomic(statements);
      return { applied: pending.length };
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
}
