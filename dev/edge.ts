/**
 * `npm run dev:edge`: the Worker under `wrangler dev` (workerd), with its database
 * reached the way production reaches Neon, over SQL-over-HTTP, through the local
 * Neon stand-in, with jobs delivered by the local QStash stand-in. A development tool only.
 *
 *   DATABASE_URL  a postgres:// URL to sit in front of; unset means PGlite kept under
 *                 ${DATA_DIR:-./.data}/edge
 *   PORT          the Worker's port on 127.0.0.1 (default 8787)
 */
import { join } from 'node:path';
import { hashPassword } from '../api/auth/password.ts';
import { openNeonHttp } from '../db/drivers/neon-http.ts';
import { migrate } from '../db/node/migrate.ts';
import { DEMO_PASSWORD, isEmpty, seedDemoData } from '../db/seed.ts';
import { type NeonStandIn, startNeonStandIn } from './neon-stand-in.ts';
import { startQStashStandIn } from './qstash-stand-in.ts';
import { startWranglerDev } from './wrangler-dev.ts';

// The stand-in serves its one PGlite database under any name; this one just has to be a valid URL.
const PGLITE_URL = 'postgres://edgeplane@pglite.localhost/edgeplane';

const log = (message: string) => console.log(`[dev:edge] ${message}`);

async function startDatabase(env: NodeJS.ProcessEnv): Promise<{ standIn: NeonStandIn; databaseUrl: string }> {
  const upstream = env.DATABASE_URL;
  if (upstream && /^postgres(ql)?:\/\//.test(upstream)) {
    const standIn = await startNeonStandIn({ upstreamUrl: upstream, log: console.error });
    log(`Neon stand-in ${standIn.url} -> Postgres ${new URL(upstream).host}${new URL(upstream).pathname}`);
    return { standIn, databaseUrl: upstream };
  }
  const dataDir = join(env.DATA_DIR || './.data', 'edge');
  const standIn = await startNeonStandIn({ dataDir, log: console.error });
  log(`Neon stand-in ${standIn.url} -> PGlite ${dataDir}`);
  return { standIn, databaseUrl: PGLITE_URL };
}

/** Migrates and seeds through the stand-in with the Worker's own driver, so the edge path is what runs. */
async function prepare(databaseUrl: string, endpoint: string): Promise<void> {
  const handle = openNeonHttp({ url: databaseUrl, endpoint });
  const { applied } = await migrate(handle);
  log(applied ? `applied ${applied} migration(s)` : 'migrations up to date');
  if (await isEmpty(handle.db)) {
    const seeded = await seedDemoData(handle.db, await hashPassword(DEMO_PASSWORD));
    log(`seeded demo data: ${seeded.users} users, ${seeded.items} items`);
  }
}

async function main(): Promise<void> {
  const port = process.env.PORT || '8787';
  const { standIn, databaseUrl } = await startDatabase(process.env);
  try {
    await prepare(databaseUrl, standIn.url);
  } catch (error) {
    await standIn.close();
    throw error;
  }

  // Jobs reach the Worker as in production: published to QStash (here the local stand-in)
  // and delivered back, signed, to PUBLIC_URL.
  const qstash = await startQStashStandIn({ log: console.error });
  log(`QStash stand-in ${qstash.url} delivering to http://127.0.0.1:${port}`);
  const wrangler = startWranglerDev({
    port: Number(port),
    vars: {
      APP_ENV: 'development',
      DATABASE_URL: databaseUrl,
      NEON_HTTP_ENDPOINT: standIn.url,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      QSTASH_URL: qstash.url,
      QSTASH_TOKEN: qstash.token,
      QSTASH_CURRENT_SIGNING_KEY: qstash.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: qstash.nextSigningKey,
    },
    stdio: 'inherit',
  });
  log(`starting wrangler dev on http://127.0.0.1:${port} (API under /api/v1, health at /health/ready)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping wrangler`);
    // A second signal kills at once.
    void wrangler.stop(stopping ? 'SIGKILL' : signal);
    stopping = true;
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const code = await wrangler.exited;
  await qstash.close();
  await standIn.close();
  log(`wrangler exited (${code}); stand-ins stopped`);
  process.exit(stopping ? 0 : code);
}

main().catch((error: unknown) => {
  console.error('[dev:edge] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
