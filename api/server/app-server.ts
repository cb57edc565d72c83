import type { GetConnInfo } from 'hono/conninfo';
import { type AppConfig, ConfigError, parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { SchemaNotMigrated } from '../../db/node/schema-state.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../db/seed.ts';
import { untilDatabaseAvailable } from '../../db/wait-for-database.ts';
import { runMaintenance } from '../../jobs/maintenance.ts';
import { createApp } from '../app.ts';
import { withLocalSigningKey } from './local-signing-key.ts';
import { buildServerDeps, prepareDatabase } from './server-deps.ts';
import { stdoutLines } from './stdout-lines.ts';
import { nodeTelemetry } from './telemetry.ts';

const MAINTENANCE_INTERVAL_MS = 60_000;
/** How often start-up looks again at a database whose schema is not migrated. */
const SCHEMA_RECHECK_MS = 5_000;

/** What an entry tells the shared server about its runtime. */
export interface ServerRuntime {
  name: 'node' | 'deno' | 'bun';
  /** The process environment, read once. */
  env: Record<string, string | undefined>;
  /** The runtime's connection info, for the client address when no proxy header is trusted. */
  getConnInfo?: GetConnInfo;
}

/** The runtime's listener, as the shutdown sees it. */
export interface HttpDrain {
  /** Stops taking requests and resolves once open ones are answered, or `timeout` after cutting them off. */
  drain(timeoutMs: number): Promise<'drained' | 'timeout'>;
}

export interface AppServer {
  config: AppConfig;
  /** The app's fetch handler; the runtime's own argument (Bun's server, Deno's info) passes through as `c.env`. */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  /** Call once the runtime listens: logs the address and starts the job dispatcher. */
  listening(address: { hostname: string; port: number }): void;
  /** On SIGTERM or SIGINT: fail readiness, drain `http` and running jobs, close the clients, exit 0. */
  stopOnSignals(http: HttpDrain): void;
}

/**
 * Everything the Node, Deno and Bun entries share: the configuration (one schema),
 * the dependencies, the app, the start-up messages and the graceful stop. An entry
 * only reads its environment and binds the fetch handler to its runtime's server.
 *
 * The server listens before the database answers: liveness holds while start-up waits
 * for the database with backoff (`DATABASE_WAIT_SECONDS`), readiness and the API answer
 * 503 saying why, and the job dispatcher starts once the database is prepared.
 */
export async function startAppServer(runtime: ServerRuntime): Promise<AppServer> {
  const local = withLocalSigningKey(parseConfig(runtime.env));
  const { config } = local;
  const logger = createLogger({
    level: config.logLevel,
    redactKeys: config.observability.redactKeys,
    write: stdoutLines(),
  });
  // Loud, and not the mechanism: every background promise has an owner that handles its failure.
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection: a background task failed without an owner', { error: reason });
  });
  if (local.keyFile) {
    logger.info('signing sign-ins with the key kept in DATA_DIR (embedded default; set JWT_SIGNING_KEYS elsewhere)', {
      keyFile: local.keyFile,
    });
  }
  const observability = nodeTelemetry(config, logger, runtime.name);
  const built = await buildServerDeps(config, logger, observability, runtime.getConnInfo);
  const { deps, handle, dispatcher } = built;
  const app = createApp(deps);
  let maintenance: ReturnType<typeof setInterval> | undefined;
  let address: string | undefined;
  let ready = false;
  let stopping = false;
  const startWork = () => {
    if (!ready || address === undefined) return;
    if (config.database.seedDemoData) {
      // The embedded default is a local sandbox: say how to get in.
      console.log(
        `\n  Edgeplane is running at ${address}  (API reference: ${address}/docs)\n` +
          `  Sign in as ${DEMO_LOGINS.join(', ')} with the password "${DEMO_PASSWORD}".\n`,
      );
    }
    dispatcher?.start();
    // With QStash delivering, this process still recovers stalled jobs and relays the outbox.
    if (config.jobs.delivery === 'qstash') {
      maintenance = setInterval(() => {
        runMaintenance(deps).catch((error: unknown) => logger.warnThrottled('maintenance failed', { error }));
      }, MAINTENANCE_INTERVAL_MS);
    }
  };

  // An unmigrated database holds start-up (readiness and the API answer 503 saying how
  // to migrate) until someone migrates it: logged once, then looked at again quietly.
  let schemaLogged = false;
  const prepare = async (): Promise<void> => {
    for (;;) {
      try {
        return await prepareDatabase(config, logger, handle);
      } catch (error) {
        if (!(error instanceof SchemaNotMigrated) || stopping) throw error;
        built.setLifecycle({ phase: 'starting', detail: error.message });
        if (!schemaLogged) {
          logger.error('not serving: the database schema is not migrated', {
            reason: error.message,
            pending: error.pending,
            applied: error.applied,
          });
          schemaLogged = true;
        }
        await new Promise((resolve) => setTimeout(resolve, SCHEMA_RECHECK_MS));
      }
    }
  };

  const waitedFrom = Date.now();
  untilDatabaseAvailable(prepare, {
    timeoutMs: config.database.waitMs,
    onRetry: ({ attempt, delayMs, error, status }) => {
      built.setLifecycle({ phase: 'starting', detail: status });
      logger.warnThrottled('waiting for the database', { attempt, retryInMs: delayMs, error });
    },
  }).then(
    () => {
      if (stopping) return;
      built.setLifecycle({ phase: 'serving' });
      logger.info('database ready', { driver: handle.driver, waitedMs: Date.now() - waitedFrom });
      ready = true;
      startWork();
    },
    (error: unknown) => {
      if (stopping) return;
      // An orchestrator restarts the process; a person reads why.
      logger.error('start-up failed: the database could not be prepared', { error });
      process.exit(1);
    },
  );

  const stop = async (signal: string, http: HttpDrain) => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    built.setLifecycle({ phase: 'stopping' });
    logger.info('shutting down: draining in-flight requests', { signal, drainMs: config.shutdownDrainMs });
    clearInterval(maintenance);
    // Both within one drain period: jobs this replica leaves queued are claimed by another.
    const [drained] = await Promise.all([http.drain(config.shutdownDrainMs), dispatcher?.stop(config.shutdownDrainMs)]);
    if (drained === 'timeout') logger.warn('drain period over: remaining connections closed');
    // After the dispatcher: a job still finishing may use the store.
    await built.stopListening().catch((error: unknown) => logger.warn('ending the change listener failed', { error }));
    await deps.kv.close().catch((error: unknown) => logger.warn('closing the key-value store failed', { error }));
    await handle.close().catch((error: unknown) => logger.warn('closing the database failed', { error }));
    await observability.stop();
    logger.info('stopped');
    process.exit(0);
  };

  return {
    config,
    fetch: app.fetch,
    listening({ hostname, port }) {
      const host = hostname.includes(':') ? `[${hostname}]` : hostname;
      address = `http://${host}:${port}`;
      logger.info('listening', {
        url: address,
        runtime: runtime.name,
        driver: handle.driver,
        dataDir: handle.driver === 'pglite' ? config.database.dataDir : undefined,
        version: config.version,
        jobs: config.jobs.delivery,
        kv: deps.kv.kind,
      });
      startWork();
    },
    stopOnSignals(http) {
      process.on('SIGTERM', () => void stop('SIGTERM', http));
      process.on('SIGINT', () => void stop('SIGINT', http));
    },
  };
}

/** Why an address cannot be listened on, by the error code the runtimes give. */
const LISTEN_FAILURES: Record<string, string> = {
  EADDRINUSE: 'the address is in use',
  EACCES: 'this process may not bind it',
  EADDRNOTAVAIL: 'no interface of this machine has the address',
};

/** A listener that could not bind: which address, why, and what to change, or undefined for any other error. */
function listenFailure(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  const why = e instanceof Error && e.code ? LISTEN_FAILURES[e.code] : undefined;
  if (!why) return undefined;
  const where = e.address === undefined ? '' : ` on ${e.address}:${e.port}`;
  return `cannot listen${where}: ${why} (${e.code}). Stop what holds it, or set HOST and PORT to another address.`;
}

/**
 * Ends a process whose start-up failed: a configuration error prints the fields it names,
 * an address that cannot be bound says which and why, anything else prints its stack.
 */
export function exitOnStartupError(error: unknown): never {
  const listen = listenFailure(error);
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else if (listen) {
    console.error(listen);
  } else {
    console.error('start-up failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
}
