import type { IncomingMessage } from 'node:http';
// ERROR_FIELDS: what a Postgres error's 400 body carries, the same list the Worker's client reads.
import { ERROR_FIELDS } from '../db/drivers/neon-error-fields.ts';
import { readBoundedBody } from './local-server.ts';
import type { SqlSession, TextResult } from './sql-backends.ts';

/**
 * The request and reply shapes of Neon's SQL-over-HTTP endpoint, as
 * `@neondatabase/serverless` 1.x sends and reads them. Used by the local stand-in
 * (development and tests only).
 */

interface Query {
  query: string;
  params: (string | null)[];
}

interface Batch {
  isolationLevel?: string;
  readOnly?: boolean;
  deferrable?: boolean;
}

/** One request: a single statement, or a batch that runs as one transaction. */
export interface SqlRequest {
  /** The database named in `Neon-Connection-String`. */
  database: string;
  queries: Query[];
  batch?: Batch;
  /** `Neon-Array-Mode: true` asks for rows as arrays (the client always does). */
  arrayMode: boolean;
}

/** A request refused before any SQL runs; answered 400 with its message. */
export class BadRequest extends Error {}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

// The values the Neon client sends in Neon-Batch-Isolation-Level, as SQL.
const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** Reads and validates a `POST /sql` request; throws `BadRequest` for anything malformed. */
export async function readSqlRequest(req: IncomingMessage): Promise<SqlRequest> {
  const database = databaseOf(headerValue(req.headers['neon-connection-string']));
  const body = parseJson(await readBody(req));
  const arrayMode = headerValue(req.headers['neon-array-mode']) === 'true';
  const queries = (body as { queries?: unknown } | null)?.queries;
  if (!Array.isArray(queries)) return { database, queries: [toQuery(body)], arrayMode };
  const level = headerValue(req.headers['neon-batch-isolation-level']);
  if (level !== undefined && !(level in ISOLATION_LEVELS)) {
    throw new BadRequest(`unknown Neon-Batch-Isolation-Level: ${level}`);
  }
  const batch = {
    isolationLevel: level,
    readOnly: flag(req.headers['neon-batch-read-only']),
    deferrable: flag(req.headers['neon-batch-deferrable']),
  };
  return { database, queries: queries.map(toQuery), batch, arrayMode };
}

/** Runs a request on a session: a batch inside one transaction, ROLLBACK on the first error. */
export async function runSqlRequest(session: SqlSession, request: SqlRequest): Promise<TextResult[]> {
  if (!request.batch) return runEach(session, request.queries);
  const { isolationLevel, readOnly, deferrable } = request.batch;
  const modes = [
    isolationLevel ? `ISOLATION LEVEL ${ISOLATION_LEVELS[isolationLevel]}` : '',
    readOnly === undefined ? '' : readOnly ? 'READ ONLY' : 'READ WRITE',
    deferrable === undefined ? '' : deferrable ? 'DEFERRABLE' : 'NOT DEFERRABLE',
  ].filter(Boolean);
  await session.query(['BEGIN', ...modes].join(' '), []);
  try {
    const results = await runEach(session, request.queries);
    await session.query('COMMIT', []);
    return results;
  } catch (error) {
    await session.query('ROLLBACK', []).catch(() => {});
    throw error;
  }
}

/** The 200 body: one result, or `{results}` for a batch. */
export function resultBody(request: SqlRequest, results: TextResult[]): unknown {
  const bodies = results.map(({ command, rowCount, fields, rows }) => ({
    command,
    rowCount,
    rowAsArray: request.arrayMode,
    fields,
    rows: request.arrayMode
      ? rows
      : rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i] ?? null]))),
  }));
  return request.batch ? { results: bodies } : bodies[0];
}

/** The 400 body for a Postgres error, keeping its SQLSTATE, constraint and the rest. */
export function errorBody(error: Error): Record<string, unknown> {
  const body: Record<string, unknown> = { message: error.message };
  for (const field of ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (value !== undefined) body[field] = value;
  }
  return body;
}

async function runEach(session: SqlSession, queries: Query[]): Promise<TextResult[]> {
  const results: TextResult[] = [];
  for (const { query, params } of queries) results.push(await session.query(query, params));
  return results;
}

function databaseOf(connectionString: string | undefined): string {
  if (connectionString === undefined) throw new BadRequest('missing Neon-Connection-String header');
  try {
    return decodeURIComponent(new URL(connectionString).pathname.slice(1)) || 'postgres';
  } catch {
    throw new BadRequest('Neon-Connection-String is not a valid URL');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

function toQuery(value: unknown): Query {
  const { query, params = [] } = (value ?? {}) as { query?: unknown; params?: unknown };
  if (typeof query !== 'string') throw new BadRequest('each query needs a "query" string');
  if (!Array.isArray(params)) throw new BadRequest('"params" must be an array');
  return { query, params: params.map((p) => (p === null || p === undefined ? null : String(p))) };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flag(value: string | string[] | undefined): boolean | undefined {
  const text = headerValue(value);
  return text === undefined ? undefined : text === 'true';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const body = await readBoundedBody(req, MAX_BODY_BYTES, () => new BadRequest('the body is too large'));
  return body.toString('utf8');
}
