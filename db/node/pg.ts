import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../schema.ts';
import type { Database, DbHandle } from '../types.ts';
import { pgListener } from './pg-listen.ts';
import { watchReadTimeouts } from './pg-read-timeout.ts';

export interface PgOptions {
  url: string;
  poolSize?: number;
  /** Longest a statement may run (0 or unset: no limit). */
  statementTimeoutMs?: number;
  /**
   * Named prepared statements (default true): each connection parses and plans a hot
   * statement once. Off, every statement is sent unnamed, as a transaction-mode pooler
   * without prepared-statement support needs.
   */
  preparedStatements?: boolean;
}

/** A pool that sends every statement unnamed, whatever name the caller gave it. */
class UnnamedStatementsPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Pool's query is overloaded many ways.
  override query(config: any, ...rest: any[]): any {
    const unnamed = config && typeof config === 'object' && config.name ? { ...config, name: undefined } : config;
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    return (super.query as any)(unnamed, ...rest);
  }
}

const CONNECT_TIMEOUT_MS = 5_000;
// The client-side limit comes after the server's, so a live server answers 57014 first.
export const CLIENT_TIMEOUT_MARGIN_MS = 1_000;

/** Postgres over TCP with a connection pool (Node only). */
export function openPg(options: PgOptions): DbHandle {
  const timeout = options.statementTimeoutMs || undefined;
  const Pool = options.preparedStatements === false ? UnnamedStatementsPool : pg.Pool;
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // Idle connections never keep a finished process (a CLI, a test worker) alive.
    allowExitOnIdle: true,
    // The server cancels a slow statement; the client gives up on a server that does not
    // answer at all (frozen, or a network partition) below, and the pool drops that connection.
    statement_timeout: timeout,
  });
  const reads = timeout ? watchReadTimeouts(pool, timeout + CLIENT_TIMEOUT_MARGIN_MS) : undefined;
  // An idle client losing its connection must not crash the process; the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => {});
  const db = drizzle({ client: pool, schema });
  const listener = pgListener(options.url);
  return {
    db: db as unknown as Database,
    driver: 'pg',
    // A connection of its own, without the pool's time limits: migrations may take long.
    async runAtomic(statements) {
      const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.query('BEGIN');
        for (const statement of statements) await client.query(statement);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        await client.end().catch(() => {});
      }
    },
    async queryRows<T>(statement: string) {
      const result = await db.execute(sql.raw(statement));
      return result.rows as T[];
    },
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    close: () => {
      reads?.stop();
      return pool.end();
    },
  };
}
