import type { GetConnInfo } from 'hono/conninfo';
import type { KeyValueStore } from '../db/kv/port.ts';
import type { Database } from '../db/types.ts';
import type { Role } from '../vocabulary/permissions.ts';
import type { ChangeSignal } from './change-signal.ts';
import type { AppConfig } from './config.ts';
import type { Logger } from './logger.ts';
import type { Telemetry } from './observability/telemetry.ts';
import type { SpanContext } from './observability/trace-context.ts';
import type { JobQueue } from './queue/job-queue.ts';

/** Who performs a change; recorded in the audit log. */
export type Actor =
  | { type: 'user' | 'api_key'; id: string; role: Role }
  | { type: 'system' | 'anonymous'; id: string | null };

/** Everything the app needs from its runtime, built once by an entry. */
export interface AppDeps {
  config: AppConfig;
  db: Database;
  logger: Logger;
  clock: () => Date;
  /** Delivers queued jobs (QStash, or the in-process dispatcher). */
  queue: JobQueue;
  /** Rate limits and caching: Upstash, Redis or in-memory (see `config.kv`). */
  kv: KeyValueStore;
  /**
   * Where a long-running server is in its life (absent: always serving). While it starts
   * (waiting for the database) or stops, readiness fails and the API answers 503.
   */
  lifecycle?: () => Lifecycle;
  /** The runtime's connection info (Node), for the client address when no proxy header is trusted. */
  getConnInfo?: GetConnInfo;
  /** The dashboard's static files: Workers' ASSETS binding, or the Node entry's own file server. */
  assets?: AssetFetcher;
  /** Metrics and tracing (absent: both off). */
  telemetry?: Telemetry;
  /** Wakes change-feed streams when the database notifies of commits (absent: they poll). */
  changes?: ChangeSignal;
  /**
   * The trace this unit of work (a request, a job run) belongs to, set on its own copy
   * of the deps: jobs it enqueues, fetches it makes and queries it runs join that trace.
   */
  trace?: SpanContext;
}

export type Lifecycle = { phase: 'starting'; detail: string } | { phase: 'serving' } | { phase: 'stopping' };

/** Serves static files for a request; the shape of Workers' `Fetcher` binding. */
export interface AssetFetcher {
  fetch(request: Request): Promise<Response>;
}
