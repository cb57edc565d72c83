/**
 * The Worker under `wrangler dev` with everything it talks to in production replaced by
 * local stand-ins speaking the same protocols: Neon's SQL-over-HTTP (in front of Postgres
 * or PGlite) and QStash (publish + signed delivery back to the Worker). Used by
 * `npm run dev:edge`, the Worker's conformance run and the dashboard's browser tests.
 * A development and test tool only.
 */
import { hashPassword } from '../core/password.ts';
import { openNeonHttp } from '../db/drivers/neon-http.ts';
import { migrate } from '../db/node/migrate.ts';
import { upsertAdmin } from '../db/queries/users.ts';
import { DEMO_PASSWORD, isEmpty, seedDemoData } from '../db/seed.ts';
import { freePort, waitForHttp } from './child-process.ts';
import { type NeonStandIn, startNeonStandIn } from './neon-stand-in.ts';
import { type QStashStandIn, type QStashStandInOptions, startQStashStandIn } from './qstash-stand-in.ts';
import { startWranglerDev, type WranglerDev, type WranglerDevOptions } from './wrangler-dev.ts';

// The stand-in serves its one PGlite database under any name; this one just has to be a valid URL.
const PGLITE_URL = 'postgres://edgeplane@pglite.localhost/edgeplane';

export interface EdgeStackOptions {
  /** The Postgres database to serve (it must exist); without it, PGlite. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; omitted means in memory. */
  pgliteDataDir?: string;
  /** Seed the demo workspace into an empty database. */
  seedDemoData?: boolean;
  /** An admin to create (or reset) before the Worker starts; it has no start-up hook of its own. */
  admin?: { email: string; password: string };
  /** The Worker's port on 127.0.0.1; a free one by default. */
  port?: number;
  /** Worker vars on top of the database and QStash ones. */
  vars?: Record<string, string>;
  qstash?: Pick<QStashStandInOptions, 'retryDelayMs'>;
  wrangler: Pick<WranglerDevOptions, 'stdio' | 'logLevel' | 'persistTo'> & { inspectorPort?: number };
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
  /** How long the Worker gets to answer /health/ready; 0 skips waiting. */
  readyTimeoutMs?: number;
}

export interface EdgeStack {
  baseUrl: string;
  neon: NeonStandIn;
  qstash: QStashStandIn;
  wrangler: WranglerDev;
  /** Stops wrangler (and workerd), then the stand-ins. */
  stop(): Promise<void>;
}

/** Migrates (and seeds) through the stand-in with the Worker's own driver, so the edge path is what runs. */
async function prepare(options: EdgeStackOptions, databaseUrl: string, endpoint: string): Promise<void> {
  const log = options.log ?? (() => {});
  const handle = openNeonHttp({ url: databaseUrl, endpoint });
  const { applied } = await migrate(handle);
  log(applied ? `applied ${applied} migration(s)` : 'migrations up to date');
  if (options.seedDemoData && (await isEmpty(handle.db))) {
    const seeded = await seedDemoData(handle.db, await hashPassword(DEMO_PASSWORD));
    log(`seeded demo data: ${seeded.users} users, ${seeded.items} items`);
  }
  if (options.admin) await upsertAdmin(handle.db, options.admin.email, await hashPassword(options.admin.password));
}

export async function startEdgeStack(options: EdgeStackOptions): Promise<EdgeStack> {
  const log = options.log ?? (() => {});
  const neon = await startNeonStandIn(
    options.databaseUrl
      ? { upstreamUrl: options.databaseUrl, log: console.error }
      : { dataDir: options.pgliteDataDir, log: console.error },
  );
  const databaseUrl = options.databaseUrl ?? PGLITE_URL;
  log(
    `Neon stand-in ${neon.url} -> ${options.databaseUrl ? new URL(databaseUrl).host : `PGlite ${options.pgliteDataDir ?? '(memory)'}`}`,
  );
  let qstash: QStashStandIn | undefined;
  try {
    await prepare(options, databaseUrl, neon.url);
    const port = options.port ?? (await freePort());
    const baseUrl = `http://127.0.0.1:${port}`;
    qstash = await startQStashStandIn({ log: console.error, ...options.qstash });
    log(`QStash stand-in ${qstash.url} delivering to ${baseUrl}`);
    const wrangler = startWranglerDev({
      ...options.wrangler,
      port,
      vars: {
        DATABASE_URL: databaseUrl,
        NEON_HTTP_ENDPOINT: neon.url,
        // QStash delivers to, and signs for, the Worker's public URL.
        PUBLIC_URL: baseUrl,
        QSTASH_URL: qstash.url,
        QSTASH_TOKEN: qstash.token,
        QSTASH_CURRENT_SIGNING_KEY: qstash.currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: qstash.nextSigningKey,
        ...options.vars,
      },
    });
    const started = qstash;
    const stack: EdgeStack = {
      baseUrl,
      neon,
      qstash: started,
      wrangler,
      async stop() {
        await wrangler.stop();
        await started.close();
        await neon.close();
      },
    };
    if (options.readyTimeoutMs !== 0) {
      try {
        await waitForHttp(
          { name: 'wrangler dev', ...wrangler },
          `${baseUrl}/health/ready`,
          options.readyTimeoutMs ?? 90_000,
        );
      } catch (error) {
        await stack.stop();
        throw error;
      }
    }
    return stack;
  } catch (error) {
    await qstash?.close();
    await neon.close();
    throw error;
  }
}
