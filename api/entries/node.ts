import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { migrate } from '../../db/node/migrate.ts';
import { openDatabase } from '../../db/node/open-database.ts';
import { openKeyValueStore } from '../../db/node/open-kv.ts';
import { upsertAdmin } from '../../db/queries/users.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, isEmpty, seedDemoData } from '../../db/seed.ts';
import { createDispatcher, type Dispatcher } from '../../jobs/dispatcher.ts';
import { runMaintenance } from '../../jobs/maintenance.ts';
import { qstashQueue } from '../../jobs/qstash.ts';
import { dispatcherQueue } from '../../jobs/queue.ts';
import { createApp } from '../app.ts';
import { hashPassword } from '../auth/password.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { createLogger } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { connectionDrain } from '../node/connection-drain.ts';
import { staticAssets } from '../node/static-assets.ts';
import { stdoutLines } from '../node/stdout-lines.ts';
import { nodeTelemetry } from '../node/telemetry.ts';
import { instrumentDeps } from '../observability/scope.ts';

const MAINTENANCE_INTERVAL_MS = 60_000;

/** Node entry: reads the environment once, opens the configured database, serves until a signal. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createLogger({
    level: config.logLevel,
    redactKeys: config.observability.redactKeys,
    write: stdoutLines(),
  });
  const observability = nodeTelemetry(config, logger);
  const handle = await openDatabase(config.database);
  if (config.database.migrateOnStart) {
    const { applied } = await migrate(handle);
    if (applied) logger.info('migrations applied', { applied, driver: handle.driver });
  }
  if (config.database.seedDemoData && (await isEmpty(handle.db))) {
    const seeded = await seedDemoData(handle.db, await hashPassword(DEMO_PASSWORD));
    logger.info('demo data seeded', seeded);
  }
  if (config.auth.admin) {
    const { created } = await upsertAdmin(
      handle.db,
      config.auth.admin.email,
      await hashPassword(config.auth.admin.password),
    );
    logger.info(created ? 'admin created' : 'admin updated', { email: config.auth.admin.email });
  }
  if (config.auth.ephemeralKeys) {
    logger.warn('JWT_SIGNING_KEYS is not set: using a random key, so sign-ins end when this process stops');
  }

  const kv = await openKeyValueStore(config.kv, {
    onError: (error) => logger.warn('key-value store unreachable', { driver: config.kv.driver, error: error.message }),
  });

  const assets = staticAssets(config.webDir);
  if (!assets && config.webDir) {
    logger.warn('no dashboard build found: serving the API only (run npm run build:web)', { webDir: config.webDir });
  }

  let draining = false;
  let dispatcher: Dispatcher | undefined;
  const deps: AppDeps = instrumentDeps({
    config,
    db: handle.db,
    logger,
    clock: () => new Date(),
    isDraining: () => draining,
    getConnInfo,
    kv,
    assets,
    queue:
      config.jobs.delivery === 'qstash'
        ? qstashQueue({ db: handle.db, config, logger })
        : dispatcherQueue(() => dispatcher?.wake()),
    telemetry: observability.telemetry,
  });
  observability.watch(deps);
  if (config.jobs.delivery === 'dispatcher') {
    dispatcher = createDispatcher(deps, {
      concurrency: config.jobs.concurrency,
      pollIntervalMs: config.jobs.pollIntervalMs,
      leaseMs: config.jobs.leaseMs,
    });
  }
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info('listening', {
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`,
      driver: handle.driver,
      dataDir: handle.driver === 'pglite' ? config.database.dataDir : undefined,
      version: config.version,
      jobs: config.jobs.delivery,
      kv: kv.kind,
    });
    if (config.database.seedDemoData) {
      // The embedded default is a local sandbox: say how to get in.
      const origin = `http://${config.host}:${info.port}`;
      console.log(
        `\n  Edgeplane is running at ${origin}  (API reference: ${origin}/docs)\n` +
          `  Sign in as ${DEMO_LOGINS.join(', ')} with the password "${DEMO_PASSWORD}".\n`,
      );
    }
    dispatcher?.start();
  });
  const connections = connectionDrain(server);
  // With QStash delivering, this process still recovers stalled jobs and relays the outbox.
  const maintenance =
    config.jobs.delivery === 'qstash'
      ? setInterval(() => {
          runMaintenance(deps).catch((error: unknown) => logger.warn('maintenance failed', { error: String(error) }));
        }, MAINTENANCE_INTERVAL_MS)
      : undefined;

  const shutdown = async (signal: string) => {
    if (draining) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    draining = true;
    logger.info('shutting down: draining in-flight requests', { signal, drainMs: config.shutdownDrainMs });
    clearInterval(maintenance);
    // Both within one drain period: jobs this replica leaves queued are claimed by another.
    const [drained] = await Promise.all([
      connections.drain(config.shutdownDrainMs),
      dispatcher?.stop(config.shutdownDrainMs),
    ]);
    if (drained === 'timeout') logger.warn('drain period over: remaining connections closed');
    // After the dispatcher: a job still finishing may use the store.
    await kv.close();
    await handle.close();
    await observability.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('start-up failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
});
