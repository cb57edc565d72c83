/**
 * Every setting, as environment variables (Node, Deno, Bun) or bindings (Workers)
 * deliver them: strings, parsed and defaulted here; `parseConfig` shapes them.
 */
import { z } from 'zod';
import { DRIVER_NAMES } from '../db/types.ts';
// A default import with the JSON attribute: Deno (like the standard) allows no other form.
import pkg from '../package.json' with { type: 'json' };

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The embedded database's templates: a cache of the checkout, beside the installed packages. */
export const DEFAULT_PGLITE_TEMPLATE_DIR = './node_modules/.cache/edgeplane-pglite';

const boolean = (fallback: boolean) =>
  z
    .stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] })
    .optional()
    .transform((v) => v ?? fallback);

const optionalUrl = z.url().optional();

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );

/**
 * Every setting, read from environment variables (Node, Deno, Bun) or bindings
 * (Workers). Parsed once at start-up; a bad value stops start-up naming the field.
 */
export const EnvSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_VERSION: z.string().min(1).default(pkg.version),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Postgres URL. Unset on Node means the embedded PGlite database. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Forces a driver; by default Neon hosts use neon-http and other URLs use pg. */
  DATABASE_DRIVER: z.enum(DRIVER_NAMES).optional(),
  /** Neon SQL-over-HTTP endpoint override: only for the local stand-in (dev and tests). */
  NEON_HTTP_ENDPOINT: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Longest a statement may run, in ms (0: no limit): Postgres's statement_timeout plus a
   * client-side limit (pg), or the HTTP request's (neon-http). Past it the request answers
   * 503 with Retry-After. Migrations are not limited.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * pg only: keep each hot statement parsed and planned on its connection (named prepared
   * statements). Turn off behind a transaction-mode pooler that cannot hold them
   * (PgBouncer before 1.21, or without `max_prepared_statements`).
   */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
  /** How long start-up and `npm run db:migrate` wait for the database to accept connections (0: one try). */
  DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(3_600).default(120),
  /** Where the embedded database keeps its files. */
  DATA_DIR: z.string().min(1).default('./.data'),
  /**
   * Where the embedded database keeps migrated templates (one per set of migrations): a new
   * DATA_DIR starts as a copy of one instead of creating and migrating a cluster.
   */
  PGLITE_TEMPLATE_DIR: z.string().min(1).default(DEFAULT_PGLITE_TEMPLATE_DIR),
  /** Node only: the built dashboard (`npm run build:web`), served on the API's port; empty serves the API alone. */
  WEB_DIR: z.string().default('./dist/web'),
  /** Apply pending migrations at start-up (default: only for the embedded database). */
  MIGRATE_ON_START: z.stringbool().optional(),
  /** Seed demo data into an empty database at start-up (default: only for the embedded database). */
  SEED_DEMO_DATA: z.stringbool().optional(),
  /** Comma-separated origins allowed by CORS; empty allows none. */
  CORS_ORIGINS: list,
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** How long a stopping Node server keeps serving in-flight requests. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Log one JSON line per request. */
  ACCESS_LOG: boolean(true),
  /** The app's public base URL (QStash delivers to it and signs it). */
  PUBLIC_URL: optionalUrl,
  /** `auto`: QStash when QSTASH_TOKEN is set, else the in-process dispatcher (Node). */
  JOBS_DELIVERY: z.enum(['auto', 'qstash', 'dispatcher']).default('auto'),
  QSTASH_URL: z.url().default('https://qstash.upstash.io'),
  QSTASH_TOKEN: z.string().min(1).optional(),
  QSTASH_CURRENT_SIGNING_KEY: z.string().min(1).optional(),
  QSTASH_NEXT_SIGNING_KEY: z.string().min(1).optional(),
  /** Redis over TCP for the key-value store (self-hosted Node); Upstash wins when both are set. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Upstash Redis over REST (Workers and Node); set both or neither. */
  UPSTASH_REDIS_REST_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** Prepended to every key-value key, so several apps or test runs can share one Redis. */
  KV_KEY_PREFIX: z.string().min(1).max(100).default('edgeplane:'),
  /** Jobs one dispatcher runs at once. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  JOB_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** How long a claimed job stays reserved without a heartbeat before another worker may take it. */
  JOB_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  JOB_BACKOFF_BASE_MS: z.coerce.number().int().min(10).default(2_000),
  JOB_BACKOFF_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** The change feed (`GET /api/v1/events`): how often an open stream looks for new events. */
  FEED_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Streams one user or API key may hold open at once (per process). */
  FEED_MAX_STREAMS_PER_CALLER: z.coerce.number().int().min(1).max(100).default(5),
  /** A stream's longest life; the client reconnects with Last-Event-ID and loses nothing. */
  FEED_MAX_STREAM_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /** A comment line this often keeps proxies from closing an idle stream. */
  FEED_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  /** Largest accepted import upload, in bytes. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1_048_576),
  /** Let webhooks target localhost and private networks (default: everywhere but production). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.stringbool().optional(),
  /**
   * JWT signing keys as `kid:secret` pairs, comma-separated; the first signs, all
   * verify (add a new key first, drop the old one after the token lifetime).
   * Required in production; elsewhere a random key per process is used.
   */
  JWT_SIGNING_KEYS: z
    .string()
    .regex(/^[\w-]+:[^,\s]{32,}(,[\w-]+:[^,\s]{32,})*$/, 'must be kid:secret pairs, each secret at least 32 characters')
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** First admin, created (or its password reset) at start-up when both are set. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Retention defaults; the `retention.*` settings override them. */
  RETENTION_DELETED_ITEMS_DAYS: z.coerce.number().int().min(1).default(30),
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(1).default(365),
  RETENTION_FINISHED_JOBS_DAYS: z.coerce.number().int().min(1).default(14),
  /** Rate limits in requests per minute: per IP, per signed-in user or API key, and for login per IP. */
  RATE_LIMIT_ENABLED: boolean(true),
  RATE_LIMIT_ANON_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Writes other than login while the rate-limit store is down: `open` serves them unlimited, `closed` answers 503. */
  RATE_LIMIT_WRITES_WHEN_STORE_DOWN: z.enum(['open', 'closed']).default('open'),
  /** Take the client address from the first X-Forwarded-For hop: only behind a proxy that sets that header. */
  TRUST_PROXY: boolean(false),
  /** How long `GET /api/v1/items/{id}` answers stay cached (0: not cached); writes invalidate them at once. */
  ITEM_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  STATS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** Extra log keys whose values are redacted (comma-separated), on top of passwords, tokens, secrets, cookies… */
  LOG_REDACT_KEYS: list,
  /** Collect metrics: `/metrics` on Node, pushed over OTLP on Workers (when an endpoint is set). */
  METRICS_ENABLED: boolean(true),
  /** Bearer token `/metrics` requires; unset, `/metrics` is open outside production and off in production. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** OTLP/HTTP collector base URL (traces at /v1/traces, Worker metrics at /v1/metrics); unset, nothing is exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** Headers for the collector, `key=value` pairs, comma-separated (e.g. `authorization=Bearer …`). */
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, 'must be key=value pairs, comma-separated')
    .optional(),
  /** The `service.name` of exported spans and metrics. */
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default('edgeplane'),
  /** Share of new traces recorded (0–1); a caller's sampled flag always wins. */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** Workers: seconds between OTLP metric pushes of an isolate (0: after every request). */
  METRICS_PUSH_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3_600).default(10),
});
