import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../schema.ts';
import type { Database, DbHandle } from '../types.ts';

export interface PgOptions {
  url: string;
  poolSize?: number;
}

/** Postgres over TCP with a connection pool (Node only). */
export function openPg(options: PgOptions): DbHandle {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Idle connections never keep a finished process (a CLI, a test worker) alive.
    allowExitOnIdle: true,
  });
  // An idle client losing its connection must not crash the process; the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => {});
  const db = drizzle({ client: pool, schema });
  return {
    db: db as unknown as Database,
    driver: 'pg',
    async runAtomic(statements) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const statement of statements) await client.query(statement);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async queryRows<T>(statement: string) {
      const result = await db.execute(sql.raw(statement));
      return result.rows as T[];
    },
    close: () => pool.end(),
  };
}
