import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The two databases the Neon stand-in can sit in front of. Development and test
 * tooling only: production talks to Neon itself.
 */

/** A column as Neon's HTTP endpoint describes it. */
export interface TextField {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: 'text';
}

/** One statement's result with every value left as Postgres text, as Neon sends it. */
export interface TextResult {
  command: string;
  rowCount: number | null;
  fields: TextField[];
  rows: (string | null)[][];
}

/** A connection held for the duration of one request (one statement, or one batch transaction). */
export interface SqlSession {
  query(text: string, params: (string | null)[]): Promise<TextResult>;
}

export interface SqlBackend {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` on a session of `database`; no other request uses the session meanwhile. */
  withSession<T>(database: string, work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const identity = (value: string) => value;

type FieldDescription = Pick<TextField, 'name' | 'dataTypeID'> &
  Partial<Pick<TextField, 'tableID' | 'columnID' | 'dataTypeSize' | 'dataTypeModifier'>>;

function toField(field: FieldDescription): TextField {
  return {
    name: field.name,
    dataTypeID: field.dataTypeID,
    tableID: field.tableID ?? 0,
    columnID: field.columnID ?? 0,
    dataTypeSize: field.dataTypeSize ?? -1,
    dataTypeModifier: field.dataTypeModifier ?? -1,
    format: 'text',
  };
}

export interface PostgresBackendOptions {
  /** A Postgres server URL; its credentials are used, its database name is only the default. */
  upstreamUrl: string;
  /** Connections per database. */
  poolSize?: number;
}

/**
 * A real Postgres server. One pool per database named by the requests, so a test
 * run can use its own scratch database through one stand-in.
 */
export function postgresBackend(options: PostgresBackendOptions): SqlBackend {
  const pools = new Map<string, pg.Pool>();
  // Neon hands back raw text and the client parses it; so must we.
  const types = { getTypeParser: () => identity };

  const poolFor = (database: string) => {
    let pool = pools.get(database);
    if (!pool) {
      const url = new URL(options.upstreamUrl);
      url.pathname = `/${encodeURIComponent(database)}`;
      pool = new pg.Pool({
        connectionString: url.toString(),
        max: options.poolSize ?? 10,
        connectionTimeoutMillis: 5_000,
        // Short, so a dropped scratch database is not held open for long.
        idleTimeoutMillis: 2_000,
      });
      // A server closing an idle connection (restart, DROP DATABASE ... FORCE) must not crash the stand-in.
      pool.on('error', () => {});
      pools.set(database, pool);
    }
    return pool;
  };

  return {
    kind: 'postgres',
    async withSession(database, work) {
      const client = await poolFor(database).connect();
      let broken: Error | undefined;
      try {
        return await work({
          async query(text, params) {
            // Extended protocol, as Neon uses: one statement per query, even without parameters.
            const result = await client.query<unknown[]>({
              text,
              values: params,
              rowMode: 'array',
              types,
              queryMode: 'extended',
            } as pg.QueryArrayConfig);
            return {
              command: result.command,
              rowCount: result.rowCount,
              fields: result.fields.map(toField),
              rows: result.rows as (string | null)[][],
            };
          },
        });
      } catch (error) {
        // A connection-level failure leaves the client unusable; a SQL error does not.
        if (!isSqlError(error)) broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.end()));
    },
  };
}

/** True for an error the server reported (it carries a SQLSTATE), as opposed to a transport failure. */
export function isSqlError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * An in-process PGlite. It has a single database, so the requested name is ignored,
 * and a single session, so requests take turns.
 */
export function pgliteBackend(db: PGlite, options: { closeWith?: boolean } = {}): SqlBackend {
  let queue: Promise<unknown> = Promise.resolve();
  // PGlite merges these over its own parsers by type id, so every id it knows (including
  // array types it registered at start-up) must be listed; unknown ids already come back as text.
  const rawParsers = () => Object.fromEntries(Object.keys(db.parsers).map((oid) => [oid, identity]));
  // Parameters arrive already serialized by the Neon client; pass them through unchanged.
  const rawSerializers = new Proxy({}, { get: () => (value: unknown) => String(value) });

  const session: SqlSession = {
    async query(text, params) {
      const result = await db.query<(string | null)[]>(text, params, {
        rowMode: 'array',
        parsers: rawParsers(),
        serializers: rawSerializers,
      });
      const tagged = result as typeof result & { command?: string; rowCount?: number };
      return {
        command: tagged.command ?? '',
        rowCount: tagged.rowCount ?? (tagged.command === 'SELECT' ? result.rows.length : null),
        fields: result.fields.map(toField),
        rows: result.rows,
      };
    },
  };

  return {
    kind: 'pglite',
    withSession(_database, work) {
      const run = queue.then(() => work(session));
      queue = run.catch(() => {});
      return run;
    },
    async close() {
      await queue;
      if (options.closeWith) await db.close();
    },
  };
}
