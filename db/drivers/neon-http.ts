import { neon, neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import * as schema from '../schema.ts';
import type { Database, DbHandle } from '../types.ts';

export interface NeonHttpOptions {
  url: string;
  /**
   * Overrides Neon's SQL-over-HTTP endpoint. Only for the local stand-in used in
   * development and tests; production leaves it unset and talks to Neon.
   */
  endpoint?: string;
  /** Longest a query's HTTP request may take (0 or unset: no limit). */
  statementTimeoutMs?: number;
}

/**
 * Neon over HTTP: the only driver the Worker uses, and an option for Node. On the Worker,
 * `@neondatabase/serverless` is its HTTP client alone (neon-http-client.ts, by wrangler.toml).
 */
export function openNeonHttp(options: NeonHttpOptions): DbHandle {
  if (options.endpoint) {
    const endpoint = options.endpoint;
    neonConfig.fetchEndpoint = () => endpoint;
  }
  const timeout = options.statementTimeoutMs;
  if (timeout) {
    // Each query is one HTTP request: bound it, so a stalled endpoint is a 503, not a hang.
    neonConfig.fetchFunction = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(timeout) });
  }
  const client = neon(options.url);
  const db = drizzle({ client, schema });
  return {
    db: db as unknown as Database,
    driver: 'neon-http',
    async runAtomic(statements) {
      // neon-http has no interactive transactions; a batch is one transaction.
      await client.transaction(statements.map((s) => client.query(s)));
    },
    async queryRows<T>(statement: string) {
      const result = await db.execute(sql.raw(statement));
      return result.rows as T[];
    },
    async close() {},
  };
}
