import { z } from 'zod';
// A named import lets bundlers keep only this field of package.json.
import { version } from '../package.json';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const boolean = (fallback: boolean) =>
  z
    .stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] })
    .optional()
    .transform((v) => v ?? fallback);

const optionalUrl = z.url().optional();

/**
 * Every setting, read from environment variables (Node, Deno, Bun) or bindings
 * (Workers). Parsed once at start-up; a bad value stops start-up naming the field.
 */
export const EnvSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_VERSION: z.string().min(1).default(version),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Postgres URL. Unset on Node means the embedded PGlite database. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Forces a driver; by default Neon hosts use neon-http and other URLs use pg. */
  DATABASE_DRIVER: z.enum(['pglite', 'pg', 'neon-http']).optional(),
  /** Neon SQL-over-HTTP endpoint override: only for the local stand-in (dev and tests). */
  NEON_HTTP_ENDPOINT: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Where the embedded database keeps its files. */
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Apply pending migrations at start-up (default: only for the embedded database). */
  MIGRATE_ON_START: z.stringbool().optional(),
  /** Seed demo data into an empty database at start-up (default: only for the embedded database). */
  SEED_DEMO_DATA: z.stringbool().optional(),
  /** Comma-separated origins allowed by CORS; empty allows none. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
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
});

export type Env = z.input<typeof EnvSchema>;

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  version: string;
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  database: {
    driver: 'pglite' | 'pg' | 'neon-http';
    url?: string;
    neonEndpoint?: string;
    poolSize: number;
    dataDir: string;
    migrateOnStart: boolean;
    seedDemoData: boolean;
  };
  corsOrigins: string[];
  maxBodyBytes: number;
  shutdownDrainMs: number;
  accessLog: boolean;
  publicUrl?: string;
  jobs: {
    delivery: 'qstash' | 'dispatcher';
    qstash?: { url: string; token: string; currentSigningKey: string; nextSigningKey: string };
    concurrency: number;
    pollIntervalMs: number;
    leaseMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    importMaxBytes: number;
  };
  webhooks: { allowPrivateTargets: boolean };
  /** The key-value store: Upstash when its URL and token are set, else Redis when REDIS_URL is, else memory. */
  kv: {
    driver: 'upstash' | 'redis' | 'memory';
    keyPrefix: string;
    redisUrl?: string;
    upstash?: { url: string; token: string };
  };
  auth: {
    signingKeys: { kid: string; secret: string }[];
    /** True when no keys were configured: tokens do not survive a restart or cross processes. */
    ephemeralKeys: boolean;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    admin?: { email: string; password: string };
  };
  retention: { deletedItemsDays: number; auditDays: number; finishedJobsDays: number };
  rateLimit: {
    enabled: boolean;
    anonymousPerMinute: number;
    userPerMinute: number;
    loginPerMinute: number;
    writesWhenStoreDown: 'open' | 'closed';
  };
  trustProxy: boolean;
  cacheSeconds: { item: number; stats: number };
}

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
export function parseConfig(raw: Record<string, unknown>): AppConfig {
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
      url: env.DATABASE_URL,
      neonEndpoint: env.NEON_HTTP_ENDPOINT,
      poolSize: env.DATABASE_POOL_SIZE,
      dataDir: env.DATA_DIR,
      migrateOnStart: env.MIGRATE_ON_START ?? embedded,
      seedDemoData: env.SEED_DEMO_DATA ?? embedded,
    },
    corsOrigins: env.CORS_ORIGINS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    accessLog: env.ACCESS_LOG,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
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
    trustProxy: env.TRUST_PROXY,
    cacheSeconds: { item: env.ITEM_CACHE_SECONDS, stats: env.STATS_CACHE_SECONDS },
  };
}

function inferDriver(url: string | undefined): AppConfig['database']['driver'] {
  if (!url) return 'pglite';
  try {
    return NEON_HOST.test(new URL(url).hostname) ? 'neon-http' : 'pg';
  } catch {
    return 'pg';
  }
}

function kvConfig(env: z.infer<typeof EnvSchema>): AppConfig['kv'] {
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

function authConfig(env: z.infer<typeof EnvSchema>): AppConfig['auth'] {
  const configured = env.JWT_SIGNING_KEYS?.split(',').map((pair) => {
    const [kid, ...secret] = pair.split(':');
    return { kid: kid as string, secret: secret.join(':') };
  });
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const ephemeral = { kid: 'ephemeral', secret: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') };
  return {
    signingKeys: configured ?? [ephemeral],
    ephemeralKeys: !configured,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    admin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined,
  };
}
