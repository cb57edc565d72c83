import type { z } from 'zod';
import type { KeyValueSettings } from '../db/kv/port.ts';
import type { DriverName } from '../db/types.ts';
import { EnvSchema } from './env-schema.ts';

export { EnvSchema };

export type Env = z.input<typeof EnvSchema>;

/**
 * The app's configuration, as `parseConfig` shapes it from the settings: its type is
 * inferred from that mapping, so each setting is written in `env-schema.ts` and mapped
 * once here, never restated in an interface.
 */
export type AppConfig = ReturnType<typeof parseConfig>;

/** A configuration error; its message names every offending field. */
export class ConfigError extends Error {
  readonly issues: { field: string; message: string }[];
  constructor(issues: { field: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const NEON_HOST = /\.neon\.tech$|\.neon\.build$/;

/** Validates raw settings (strings from the environment) into the app's configuration. */
export function parseConfig(raw: Record<string, unknown>) {
  const strings = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Record<string, string>;
  const result = EnvSchema.safeParse(strings);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
    );
  }
  const env = result.data;
  const driver = env.DATABASE_DRIVER ?? inferDriver(env.DATABASE_URL);
  if (driver !== 'pglite' && !env.DATABASE_URL) {
    throw new ConfigError([{ field: 'DATABASE_URL', message: `required when DATABASE_DRIVER is ${driver}` }]);
  }
  if (env.APP_ENV === 'production' && !env.JWT_SIGNING_KEYS) {
    throw new ConfigError([{ field: 'JWT_SIGNING_KEYS', message: 'required when APP_ENV is production' }]);
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    const field = env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL';
    throw new ConfigError([{ field, message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' }]);
  }
  const embedded = driver === 'pglite';
  const delivery = env.JOBS_DELIVERY === 'auto' ? (env.QSTASH_TOKEN ? 'qstash' : 'dispatcher') : env.JOBS_DELIVERY;
  if (delivery === 'qstash') {
    const missing = (['QSTASH_TOKEN', 'QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY', 'PUBLIC_URL'] as const)
      .filter((field) => !env[field])
      .map((field) => ({ field, message: 'required for QStash job delivery' }));
    if (missing.length) throw new ConfigError(missing);
  }
  return {
    env: env.APP_ENV,
    version: env.APP_VERSION,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: {
      driver,
      /** Neon SQL-over-HTTP endpoint override (the local stand-in). */
      url: env.DATABASE_URL,
      neonEndpoint: env.NEON_HTTP_ENDPOINT,
      poolSize: env.DATABASE_POOL_SIZE,
      /** 0: no limit. */
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      /** pg: named prepared statements (off behind a pooler that cannot hold them). */
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
      /** How long start-up waits for the database, in ms. */
      waitMs: env.DATABASE_WAIT_SECONDS * 1000,
      dataDir: env.DATA_DIR,
      templateDir: env.PGLITE_TEMPLATE_DIR,
      migrateOnStart: env.MIGRATE_ON_START ?? embedded,
      seedDemoData: env.SEED_DEMO_DATA ?? embedded,
    },
    corsOrigins: env.CORS_ORIGINS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    accessLog: env.ACCESS_LOG,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    /** Where the Node entry finds the built dashboard; empty when it serves none. */
    webDir: env.WEB_DIR,
    jobs: {
      delivery,
      qstash:
        delivery === 'qstash'
          ? {
              url: env.QSTASH_URL,
              token: env.QSTASH_TOKEN as string,
              currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY as string,
              nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY as string,
            }
          : undefined,
      concurrency: env.JOB_CONCURRENCY,
      pollIntervalMs: env.JOB_POLL_INTERVAL_MS,
      leaseMs: env.JOB_LEASE_MS,
      maxAttempts: env.JOB_MAX_ATTEMPTS,
      backoffBaseMs: env.JOB_BACKOFF_BASE_MS,
      backoffMaxMs: env.JOB_BACKOFF_MAX_MS,
      importMaxBytes: env.IMPORT_MAX_BYTES,
    },
    auth: authConfig(env),
    webhooks: { allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? env.APP_ENV !== 'production' },
    kv: kvConfig(env),
    retention: {
      deletedItemsDays: env.RETENTION_DELETED_ITEMS_DAYS,
      auditDays: env.RETENTION_AUDIT_DAYS,
      finishedJobsDays: env.RETENTION_FINISHED_JOBS_DAYS,
    },
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED,
      anonymousPerMinute: env.RATE_LIMIT_ANON_PER_MINUTE,
      userPerMinute: env.RATE_LIMIT_USER_PER_MINUTE,
      loginPerMinute: env.RATE_LIMIT_LOGIN_PER_MINUTE,
      writesWhenStoreDown: env.RATE_LIMIT_WRITES_WHEN_STORE_DOWN,
    },
    feed: {
      pollIntervalMs: env.FEED_POLL_INTERVAL_MS,
      maxStreamsPerCaller: env.FEED_MAX_STREAMS_PER_CALLER,
      maxStreamMs: env.FEED_MAX_STREAM_SECONDS * 1000,
      heartbeatMs: env.FEED_HEARTBEAT_SECONDS * 1000,
      /** A write that has not reached the client in this long drops the stream (a slow reader is not buffered for). */
      writeTimeoutMs: 10_000,
    },
    trustProxy: env.TRUST_PROXY,
    cacheSeconds: { item: env.ITEM_CACHE_SECONDS, stats: env.STATS_CACHE_SECONDS },
    observability: {
      redactKeys: env.LOG_REDACT_KEYS,
      metricsEnabled: env.METRICS_ENABLED,
      metricsToken: env.METRICS_TOKEN,
      /** Where spans (and Worker metrics) go over OTLP/HTTP; unset: no tracer, nothing exported. */
      otlp: env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, headers: otlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) }
        : undefined,
      serviceName: env.OTEL_SERVICE_NAME,
      traceSampleRatio: env.TRACE_SAMPLE_RATIO,
      metricsPushIntervalSeconds: env.METRICS_PUSH_INTERVAL_SECONDS,
    },
  };
}

/** `k=v,k2=v2` (values may be percent-encoded, as OpenTelemetry's own variable allows). */
function otlpHeaders(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  return Object.fromEntries(
    raw.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
    }),
  );
}

function inferDriver(url: string | undefined): DriverName {
  if (!url) return 'pglite';
  try {
    return NEON_HOST.test(new URL(url).hostname) ? 'neon-http' : 'pg';
  } catch {
    return 'pg';
  }
}

/** Upstash when its URL and token are set, else Redis when REDIS_URL is, else memory. */
function kvConfig(env: z.infer<typeof EnvSchema>): KeyValueSettings {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env;
  if (Boolean(url) !== Boolean(token)) {
    const field = url ? 'UPSTASH_REDIS_REST_TOKEN' : 'UPSTASH_REDIS_REST_URL';
    throw new ConfigError([{ field, message: 'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together' }]);
  }
  const upstash = url && token ? { url: url.replace(/\/+$/, ''), token } : undefined;
  return {
    driver: upstash ? 'upstash' : env.REDIS_URL ? 'redis' : 'memory',
    keyPrefix: env.KV_KEY_PREFIX,
    redisUrl: env.REDIS_URL,
    upstash,
  };
}

function authConfig(env: z.infer<typeof EnvSchema>) {
  const configured = env.JWT_SIGNING_KEYS?.split(',').map((pair) => {
    const [kid, ...secret] = pair.split(':');
    return { kid: kid as string, secret: secret.join(':') };
  });
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const ephemeral = { kid: 'ephemeral', secret: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') };
  return {
    signingKeys: configured ?? [ephemeral],
    /** True when no keys were configured: tokens do not survive a restart or cross processes. */
    ephemeralKeys: !configured,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    admin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined,
  };
}
