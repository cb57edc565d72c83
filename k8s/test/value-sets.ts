import type { AppConfig } from '../../core/config.ts';
import type { RenderOptions } from './render.ts';

export interface ValueSet {
  name: string;
  options: RenderOptions;
  /** Secrets the user creates before installing (existingSecret), by name. */
  external: Record<string, Record<string, string>>;
  /** What the app must make of its environment in this set. */
  expect: {
    driver: AppConfig['database']['driver'];
    kv: AppConfig['kv']['driver'];
    delivery: AppConfig['jobs']['delivery'];
    migrationHooks: string;
  };
}

/** The Secret values-production.yaml names, as an operator would create it. */
export const PRODUCTION_SECRET = {
  DATABASE_URL: 'postgresql://app:s3cret@ep-quiet-fog-123456.eu-central-1.aws.neon.tech/edgeplane?sslmode=require',
  JWT_SIGNING_KEYS: `k2:${'b'.repeat(64)},k1:${'a'.repeat(64)}`,
  ADMIN_PASSWORD: 'a-long-admin-password',
  METRICS_TOKEN: 'metrics-token-0123456789',
  QSTASH_TOKEN: 'qstash-token',
  QSTASH_CURRENT_SIGNING_KEY: 'sig_current',
  QSTASH_NEXT_SIGNING_KEY: 'sig_next',
  UPSTASH_REDIS_REST_TOKEN: 'upstash-token',
};

/** Fully self-hosted and GitOps-ready: everything in the cluster, every secret given. */
export const SELF_HOSTED = {
  secrets: {
    JWT_SIGNING_KEYS: `k1:${'s'.repeat(48)}`,
    ADMIN_PASSWORD: 'correct-horse-battery-staple',
    METRICS_TOKEN: 'self-hosted-metrics-token',
  },
  // Numbers as YAML gives them: Helm reads them as float64, which would print 20971520 as 2.097152e+07.
  config: {
    ADMIN_EMAIL: 'ops@example.org',
    CORS_ORIGINS: 'https://ops.example.org',
    JOB_CONCURRENCY: 8,
    IMPORT_MAX_BYTES: 20971520,
    TRACE_SAMPLE_RATIO: 0.25,
    RATE_LIMIT_ENABLED: true,
    // 10 replicas × 5 connections stay within the in-cluster Postgres's 100.
    DATABASE_POOL_SIZE: 5,
  },
  postgresql: {
    mode: 'statefulset',
    auth: { password: 'pg-Password.1' },
    persistence: { size: '20Gi', storageClass: 'fast-ssd' },
  },
  redis: { enabled: true, auth: { password: 'redis-Password.1' } },
  backup: { enabled: true, schedule: '15 1 * * *', timeZone: 'Europe/Berlin', retention: 14 },
  ingress: {
    enabled: true,
    className: 'nginx',
    hosts: [{ host: 'ops.example.org', paths: [{ path: '/', pathType: 'Prefix' }] }],
    tls: [{ secretName: 'ops-tls', hosts: ['ops.example.org'] }],
  },
  autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
  metrics: {
    serviceMonitor: { enabled: true },
    prometheusRule: { enabled: true },
    grafanaDashboard: { enabled: true },
  },
};

/** An external Postgres and Redis given by URL in values: the chart makes the Secrets. */
export const EXTERNAL_SERVICES = {
  postgresql: { mode: 'external' },
  redis: { enabled: false },
  backup: { enabled: false },
  secrets: {
    DATABASE_URL: 'postgres://edgeplane:pw@db.internal.example.com:5432/edgeplane',
    REDIS_URL: 'redis://:pw@cache.internal.example.com:6379/0',
  },
  networkPolicy: { databaseCIDRs: ['10.20.0.0/16'], redisCIDRs: ['10.30.0.0/16'] },
};

/** An HA CloudNativePG Cluster with synchronous replication, continuous backup to S3 and metrics. */
export const CLOUDNATIVE_PG = {
  postgresql: {
    mode: 'cloudnative-pg',
    cloudnativePg: {
      synchronous: { enabled: true },
      storage: { size: '20Gi', storageClass: 'fast-ssd' },
      backup: {
        enabled: true,
        destinationPath: 's3://edgeplane-backups/production',
        s3Credentials: { existingSecret: 'edgeplane-s3', regionKey: 'REGION' },
        retentionPolicy: '14d',
      },
    },
  },
  metrics: { serviceMonitor: { enabled: true } },
};

/** The Secret the operator creates for the app's owner role (<cluster>-app), as it fills it. */
export const CNPG_APP_SECRET = {
  username: 'edgeplane',
  password: 'operator-generated-password',
  host: 'edgeplane-postgresql-rw',
  port: '5432',
  dbname: 'edgeplane',
  uri: 'postgresql://edgeplane:operator-generated-password@edgeplane-postgresql-rw.edgeplane:5432/edgeplane',
};

export const VALUE_SETS: ValueSet[] = [
  {
    name: 'default values',
    options: {},
    external: {},
    expect: { driver: 'pg', kv: 'redis', delivery: 'dispatcher', migrationHooks: 'pre-upgrade' },
  },
  {
    name: 'values-production.yaml',
    options: { valueFiles: ['values-production.yaml'] },
    external: { 'edgeplane-secrets': PRODUCTION_SECRET },
    expect: { driver: 'neon-http', kv: 'upstash', delivery: 'qstash', migrationHooks: 'pre-install,pre-upgrade' },
  },
  {
    name: 'fully self-hosted (Postgres, Redis, backups, explicit secrets)',
    options: { values: [SELF_HOSTED] },
    external: {},
    expect: { driver: 'pg', kv: 'redis', delivery: 'dispatcher', migrationHooks: 'pre-upgrade' },
  },
  {
    name: 'external Postgres and Redis by URL',
    options: { values: [EXTERNAL_SERVICES] },
    external: {},
    expect: { driver: 'pg', kv: 'redis', delivery: 'dispatcher', migrationHooks: 'pre-install,pre-upgrade' },
  },
  {
    name: 'CloudNativePG Cluster with continuous backup',
    options: { values: [CLOUDNATIVE_PG] },
    external: { 'edgeplane-postgresql-app': CNPG_APP_SECRET },
    expect: { driver: 'pg', kv: 'redis', delivery: 'dispatcher', migrationHooks: 'pre-upgrade' },
  },
];
