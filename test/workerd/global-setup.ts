import type { TestProject } from 'vitest/node';
import { hashPassword } from '../../core/password.ts';
import { openNeonHttp } from '../../db/drivers/neon-http.ts';
import { migrate } from '../../db/node/migrate.ts';
import { upsertAdmin } from '../../db/queries/users.ts';
import { startNeonStandIn } from '../../dev/neon-stand-in.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../dev/scratch-database.ts';
import { startUpstashStandIn, type UpstashStandIn } from '../../dev/upstash-stand-in.ts';
import { deleteKeysWithPrefix, testKeyPrefix } from '../support/redis.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database URL the Worker gets as DATABASE_URL. */
    workerdDatabaseUrl: string;
    /** The Neon stand-in's SQL endpoint, the Worker's NEON_HTTP_ENDPOINT. */
    workerdNeonEndpoint: string;
    /** The admin the tests sign in as. */
    workerdAdmin: { email: string; password: string };
    /** Which database is behind the stand-in, for test names. */
    workerdBackend: 'postgres' | 'pglite';
    /** Upstash (the stand-in in front of TEST_REDIS_URL) for the Worker's cache and rate limits; null without it. */
    workerdUpstash: { url: string; token: string; keyPrefix: string } | null;
  }
}

const WORKERD_ADMIN = { email: 'workerd-admin@edgeplane.test', password: 'workerd-password-1' };

// Any valid URL: the stand-in serves its one PGlite database under every name.
const PGLITE_URL = 'postgres://edgeplane@pglite.localhost/edgeplane';

/**
 * Starts the Neon stand-in in Node for the Worker under test: in front of a fresh
 * database on TEST_DATABASE_URL's server (dropped afterwards), else an in-memory
 * PGlite. Migrations go through the stand-in with the neon-http driver, as on the edge.
 * With TEST_REDIS_URL, the Upstash stand-in too, under a key prefix of this run (its keys
 * are deleted afterwards); without it the Worker keeps its cache and counters in memory.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let scratch: ScratchDatabase | undefined;
  if (serverUrl) scratch = await createScratchDatabase(serverUrl, 'edgeplane_workerd');
  const standIn = await startNeonStandIn(serverUrl ? { upstreamUrl: serverUrl } : {});
  const databaseUrl = scratch?.url ?? PGLITE_URL;
  try {
    const handle = openNeonHttp({ url: databaseUrl, endpoint: standIn.url });
    await migrate(handle);
    // The Worker has no start-up hook: its admin exists beforehand, as `npm run admin:create` makes it.
    await upsertAdmin(handle.db, WORKERD_ADMIN.email, await hashPassword(WORKERD_ADMIN.password));
  } catch (error) {
    await standIn.close();
    await scratch?.drop();
    throw error;
  }
  project.provide('workerdDatabaseUrl', databaseUrl);
  project.provide('workerdNeonEndpoint', standIn.url);
  project.provide('workerdBackend', standIn.backend);
  project.provide('workerdAdmin', WORKERD_ADMIN);
  const redisUrl = process.env.TEST_REDIS_URL;
  let upstash: UpstashStandIn | undefined;
  const keyPrefix = testKeyPrefix();
  if (redisUrl) upstash = await startUpstashStandIn({ redisUrl });
  project.provide('workerdUpstash', upstash ? { url: upstash.url, token: upstash.token, keyPrefix } : null);
  return async () => {
    // Connections close before the database is dropped.
    await standIn.close();
    await scratch?.drop();
    if (upstash && redisUrl) {
      await upstash.close();
      await deleteKeysWithPrefix(redisUrl, keyPrefix);
    }
  };
}
