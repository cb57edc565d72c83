import type { GetConnInfo } from 'hono/conninfo';
import { buildDeps } from '../../core/build-deps.ts';
import { createChangeSignal } from '../../core/change-signal.ts';
import type { AppConfig } from '../../core/config.ts';
import type { AppDeps, Lifecycle } from '../../core/deps.ts';
import type { Logger } from '../../core/logger.ts';
import { hashPassword } from '../../core/password.ts';
import { migrate } from '../../db/node/migrate.ts';
import { openDatabase } from '../../db/node/open-database.ts';
import { openKeyValueStore } from '../../db/node/open-kv.ts';
import { readSchemaState, SchemaNotMigrated } from '../../db/node/schema-state.ts';
import { CHANGES_CHANNEL } from '../../db/queries/feed.ts';
import { JOBS_CHANNEL } from '../../db/queries/jobs.ts';
import { hasEnabledAdmin, upsertAdmin } from '../../db/queries/users.ts';
import { DEMO_PASSWORD, isEmpty, seedDemoData } from '../../db/seed.ts';
import type { DbHandle } from '../../db/types.ts';
import { createDispatcher, type Dispatcher } from '../../jobs/dispatcher.ts';
import { staticAssets } from './static-assets.ts';
import type { nodeTelemetry } from './telemetry.ts';

export interface ServerDeps {
  deps: AppDeps;
  handle: DbHandle;
  dispatcher?: Dispatcher;
  /** Ends the LISTEN session (before the database closes). */
  stopListening(): Promise<void>;
  /** Moves the server through its life: starting (readiness and the API answer 503), serving, stopping. */
  setLifecycle(lifecycle: Lifecycle): void;
}

/**
 * The dependencies of a long-running server process (Node, Deno and Bun alike: all
 * three provide the Node APIs the drivers need): the configured database (opened, not
 * yet reached: see `prepareDatabase`), the key-value store, the dashboard's files, and
 * job delivery by QStash or the in-process dispatcher (not yet started).
 */
export async function buildServerDeps(
  config: AppConfig,
  logger: Logger,
  observability: ReturnType<typeof nodeTelemetry>,
  getConnInfo?: GetConnInfo,
): Promise<ServerDeps> {
  const handle = await openDatabase(config.database, logger);
  const kv = await openKeyValueStore(config.kv, {
    onError: (error) => logger.warn('key-value store unreachable', { driver: config.kv.driver, error }),
  });
  const assets = staticAssets(config.webDir);
  if (!assets && config.webDir) {
    logger.warn('no dashboard build found: serving the API only (run npm run build:web)', { webDir: config.webDir });
  }

  // Commits wake the change feed, and queued jobs every dispatcher, at once where the
  // driver can LISTEN (pg, PGlite); the polls stay as a safety net.
  const changes = createChangeSignal();
  let dispatcher: Dispatcher | undefined;
  const listen = (channel: string, onNotify: () => void) =>
    handle.listen?.(channel, onNotify).catch((error: unknown) => {
      logger.warn('not listening for notifications: polling instead', { channel, error });
      return undefined;
    });
  const listening = [
    listen(CHANGES_CHANNEL, () => changes.notify()),
    config.jobs.delivery === 'dispatcher' ? listen(JOBS_CHANNEL, () => dispatcher?.wake()) : undefined,
  ];

  let lifecycle: Lifecycle = { phase: 'starting', detail: 'connecting to the database' };
  const deps = buildDeps(config, {
    db: handle.db,
    kv,
    logger,
    telemetry: observability.telemetry,
    assets,
    getConnInfo,
    lifecycle: () => lifecycle,
    wakeDispatcher: () => dispatcher?.wake(),
    changes: handle.listen ? changes : undefined,
  });
  observability.watch(deps);
  if (config.jobs.delivery === 'dispatcher') {
    dispatcher = createDispatcher(deps, {
      concurrency: config.jobs.concurrency,
      pollIntervalMs: config.jobs.pollIntervalMs,
      leaseMs: config.jobs.leaseMs,
    });
  }
  return {
    deps,
    handle,
    dispatcher,
    stopListening: async () => {
      for (const stop of await Promise.all(listening)) await stop?.();
    },
    setLifecycle: (next) => {
      lifecycle = next;
    },
  };
}

/**
 * Start-up work on the database before the server serves, each step only when
 * configured: migrate (or else check that the schema is current: `SchemaNotMigrated`
 * when it is not), seed the demo data, create the admin. Safe to repeat after a
 * failure (the migration is atomic, seeding is idempotent, the admin is an upsert).
 */
export async function prepareDatabase(config: AppConfig, logger: Logger, handle: DbHandle): Promise<void> {
  if (config.database.migrateOnStart) {
    const { applied } = await migrate(handle);
    if (applied) logger.info('migrations applied', { applied, driver: handle.driver });
  } else {
    const schema = await readSchemaState(handle);
    if (schema.state === 'behind') throw new SchemaNotMigrated(schema);
    if (schema.state === 'ahead') {
      // A rollback: migrations are additive, so the older version still runs on the newer schema.
      logger.warn('the database was migrated by a newer version; serving on it', { unknownMigrations: schema.unknown });
    }
  }
  if (config.database.seedDemoData && (await isEmpty(handle.db))) {
    const seeded = await seedDemoData(handle.db, await hashPassword(DEMO_PASSWORD));
    logger.info('demo data seeded', seeded);
  }
  if (config.auth.admin) {
    const { email, password } = config.auth.admin;
    const { created } = await upsertAdmin(handle.db, email, await hashPassword(password));
    logger.info(created ? 'admin created' : 'admin updated', { email });
  } else if (!(await hasEnabledAdmin(handle.db))) {
    logger.warn('no admin can sign in yet', {
      fix: 'set ADMIN_EMAIL and ADMIN_PASSWORD (the admin is created at start-up), or run npm run admin:create with them set',
    });
  }
}
