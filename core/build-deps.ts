import type { GetConnInfo } from 'hono/conninfo';
import type { KeyValueStore } from '../db/kv/port.ts';
import type { Database } from '../db/types.ts';
import type { ChangeSignal } from './change-signal.ts';
import type { AppConfig } from './config.ts';
import type { AppDeps, AssetFetcher, Lifecycle } from './deps.ts';
import type { Logger } from './logger.ts';
import { instrumentDeps } from './observability/scope.ts';
import type { Telemetry } from './observability/telemetry.ts';
import { dispatcherQueue, type JobQueue, unconfiguredQueue } from './queue/job-queue.ts';
import { qstashQueue } from './queue/qstash.ts';

/**
 * What a runtime brings: the database and key-value store its own openers produced
 * (pg or PGlite and Redis on a server, neon-http and Upstash on Workers), its telemetry,
 * and what only a long-running server has.
 */
export interface RuntimeParts {
  db: Database;
  kv: KeyValueStore;
  logger: Logger;
  telemetry?: Telemetry;
  assets?: AssetFetcher;
  getConnInfo?: GetConnInfo;
  lifecycle?: () => Lifecycle;
  changes?: ChangeSignal;
  /**
   * Wakes the runtime's in-process dispatcher, when it has one (long-running servers).
   * Without one, jobs are delivered by QStash or, unconfigured, stay queued.
   */
  wakeDispatcher?: () => void;
}

/**
 * The one place the app's dependencies are assembled, for every runtime: job delivery
 * is chosen here (QStash when configured, else the runtime's dispatcher, else none) and
 * database round trips are instrumented here.
 */
export function buildDeps(config: AppConfig, parts: RuntimeParts): AppDeps {
  const { logger, wakeDispatcher, ...rest } = parts;
  if (config.auth.ephemeralKeys) {
    logger.warn('JWT_SIGNING_KEYS is not set: using a random key, so sign-ins end when this process stops');
  }
  return instrumentDeps({ ...rest, config, logger, clock: () => new Date(), queue: jobQueue(config, parts) });
}

function jobQueue(config: AppConfig, { db, logger, wakeDispatcher }: RuntimeParts): JobQueue {
  if (config.jobs.delivery === 'qstash') return qstashQueue({ db, config, logger });
  if (wakeDispatcher) return dispatcherQueue(wakeDispatcher);
  return unconfiguredQueue((message) => logger.warn(message));
}
