import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvSchema } from '../../core/env-schema.ts';
import { freePort, type TsChild, waitForHttp } from '../../dev/child-process.ts';
import { startNeonStandIn } from '../../dev/neon-stand-in.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { type ServerRuntimeName, spawnEntry } from '../../dev/server-entries.ts';
import { ADMIN_ENV } from './admin.ts';

/** Without TEST_DATABASE_URL: Node's own embedded PGlite, or Neon over HTTP through the stand-in (in front of PGlite). */
export type EmbeddedDatabase = 'pglite' | 'neon-stand-in';

// The stand-in serves its one PGlite database under any name; this one just has to be a valid URL.
const STAND_IN_DATABASE_URL = 'postgres://edgeplane@pglite.localhost/edgeplane';

/** How the entry reaches its database in this run, for test names. */
export function databaseLabel(embedded: EmbeddedDatabase): string {
  if (process.env.TEST_DATABASE_URL) return 'postgres over TCP';
  return embedded === 'pglite' ? 'embedded pglite' : 'neon-http via the stand-in, pglite behind it';
}

export interface RunningEntry {
  baseUrl(): string;
  server(): TsChild;
}

/**
 * Starts a server entry (Node, Deno or Bun) as a user would, for one test file: on a
 * scratch database of TEST_DATABASE_URL's server when it is set (unless `ignorePostgres`),
 * else on `embedded`. The server migrates at start-up and creates the suite's admin.
 * Stopped (and its database dropped) after the file, or the describe it is called in.
 */
export function useServerEntry(
  runtime: ServerRuntimeName,
  embedded: EmbeddedDatabase,
  options: { ignorePostgres?: boolean; env?: Record<string, string> } = {},
): RunningEntry {
  let server: TsChild | undefined;
  let baseUrl = '';
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      LOG_LEVEL: 'info',
      ACCESS_LOG: 'false',
      MIGRATE_ON_START: 'true',
      ...ADMIN_ENV,
      ...options.env,
    };
    if (process.env.TEST_DATABASE_URL && !options.ignorePostgres) {
      const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, `edgeplane_conf_${runtime}`);
      cleanups.push(scratch.drop);
      env.DATABASE_URL = scratch.url;
    } else if (embedded === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), `edgeplane-conf-${runtime}-`));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
    } else {
      const neon = await startNeonStandIn({ log: console.error });
      cleanups.push(() => neon.close());
      Object.assign(env, {
        DATABASE_URL: STAND_IN_DATABASE_URL,
        DATABASE_DRIVER: 'neon-http',
        NEON_HTTP_ENDPOINT: neon.url,
      });
    }
    server = spawnEntry(runtime, `${runtime} entry`, { env: { ...withoutAppSettings(process.env), ...env }, port });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(server, `${baseUrl}/health/ready`, 60_000);
  });

  afterAll(async () => {
    await server?.stop();
    // Last-first: the server's database goes after the server.
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  return {
    baseUrl: () => baseUrl,
    server: () => {
      if (!server) throw new Error(`the ${runtime} entry did not start`);
      return server;
    },
  };
}

/** The parent's environment without the app's own settings (a developer's DATABASE_URL must not leak in). */
function withoutAppSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const key of Object.keys(EnvSchema.shape)) delete rest[key];
  return rest;
}

/** What every long-running server entry does when it is told to stop. Run it last in a file: it stops the server. */
export function gracefulStopTests(runtime: ServerRuntimeName, entry: RunningEntry): void {
  describe(`${runtime} entry: stopping`, () => {
    it('Should drain and exit with code 0 on SIGTERM', async () => {
      const server = entry.server();
      server.process.kill('SIGTERM');
      expect((await server.exited).code, server.output()).toBe(0);
      expect(server.output()).toContain('"msg":"stopped"');
    });
  });
}
