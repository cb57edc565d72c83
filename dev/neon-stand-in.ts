/**
 * A local stand-in for Neon's SQL-over-HTTP endpoint, for development and tests only.
 *
 * It speaks the protocol `@neondatabase/serverless` uses (`POST /sql`, one query or a
 * batch run as one transaction, raw text values, Postgres errors as 400 JSON), so the
 * real client and `drizzle-orm/neon-http` run end to end on a machine without Neon:
 * under `wrangler dev`, inside workerd tests, and from Node. It sits in front of a real
 * Postgres server (one pool per database the requests name) or an in-process PGlite.
 * It does no authentication and is never the production path.
 *
 *   tsx dev/neon-stand-in.ts
 *     UPSTREAM_DATABASE_URL  a Postgres server to forward to (else PGlite)
 *     DATA_DIR               where PGlite keeps its files (else in memory)
 *     PORT                   port on 127.0.0.1 (default 4444; 0 picks one)
 */
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PGlite } from '@electric-sql/pglite';
import { createPglite } from '../db/node/pglite.ts';
import { type LocalServer, listenLocal } from './local-server.ts';
import { BadRequest, errorBody, readSqlRequest, resultBody, runSqlRequest, type SqlRequest } from './neon-protocol.ts';
import { runAsCli } from './run-cli.ts';
import { isSqlError, pgliteBackend, postgresBackend, type SqlBackend } from './sql-backends.ts';

export interface NeonStandInOptions {
  /** A Postgres server to forward to. Without it (and without `pglite`) an in-process PGlite is used. */
  upstreamUrl?: string;
  /** An existing PGlite to serve; the caller keeps ownership. */
  pglite?: PGlite;
  /** Where a PGlite created here keeps its files; omitted means in memory. */
  dataDir?: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Connections per database on the upstream server. */
  poolSize?: number;
  /** Receives one line per failed request; silent by default. */
  log?: (line: string) => void;
}

export interface NeonStandIn {
  /** The endpoint for `neonConfig.fetchEndpoint`, e.g. `http://127.0.0.1:PORT/sql`. */
  url: string;
  port: number;
  backend: SqlBackend['kind'];
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startNeonStandIn(options: NeonStandInOptions = {}): Promise<NeonStandIn> {
  const backend = await openBackend(options);
  const log = options.log ?? (() => {});
  let server: LocalServer;
  try {
    server = await listenLocal({
      name: 'neon stand-in',
      port: options.port,
      log,
      handle,
      fail: (res) => reply(res, 500, 'text/plain', 'internal error'),
    });
  } catch (error) {
    await backend.close();
    throw error;
  }
  const { port } = server;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    if (req.method === 'GET' && path === '/health') return reply(res, 200, 'text/plain', 'ok');
    if (path !== '/sql') return reply(res, 404, 'text/plain', 'not found: the endpoint is POST /sql');
    if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'method not allowed: use POST');

    let request: SqlRequest;
    try {
      request = await readSqlRequest(req);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      return reply(res, 400, 'application/json', JSON.stringify({ message: error.message }));
    }
    try {
      const results = await backend.withSession(request.database, (session) => runSqlRequest(session, request));
      return reply(res, 200, 'application/json', JSON.stringify(resultBody(request, results)));
    } catch (error) {
      if (isSqlError(error)) return reply(res, 400, 'application/json', JSON.stringify(errorBody(error)));
      // The database could not be reached: a 5xx, which the client reports as a server error.
      log(`neon stand-in: database unavailable: ${String(error)}`);
      return reply(res, 503, 'text/plain', `database unavailable: ${error instanceof Error ? error.message : error}`);
    }
  }

  return {
    url: `http://127.0.0.1:${port}/sql`,
    port,
    backend: backend.kind,
    async close() {
      await server.close();
      await backend.close();
    },
  };
}

async function openBackend(options: NeonStandInOptions): Promise<SqlBackend> {
  if (options.upstreamUrl) return postgresBackend({ upstreamUrl: options.upstreamUrl, poolSize: options.poolSize });
  if (options.pglite) return pgliteBackend(options.pglite);
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  return pgliteBackend(await createPglite({ dataDir: options.dataDir }), { closeWith: true });
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function main() {
  const env = process.env;
  const standIn = await startNeonStandIn({
    upstreamUrl: env.UPSTREAM_DATABASE_URL || undefined,
    dataDir: env.UPSTREAM_DATABASE_URL ? undefined : env.DATA_DIR || undefined,
    port: env.PORT ? Number(env.PORT) : 4444,
    log: (line) => console.error(line),
  });
  const behind = env.UPSTREAM_DATABASE_URL
    ? 'Postgres (database from each request)'
    : `PGlite ${env.DATA_DIR || '(in memory)'}`;
  console.log(`Neon stand-in (dev/test only) listening on ${standIn.url}, in front of ${behind}`);
  console.log(`  point clients at it with NEON_HTTP_ENDPOINT=${standIn.url}`);
  return standIn;
}

runAsCli(import.meta.url, 'neon stand-in', main);
