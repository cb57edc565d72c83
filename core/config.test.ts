import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('config', () => {
  it('Should default to the embedded database, migrating and seeding it', () => {
    const config = parseConfig({});
    expect(config.database).toMatchObject({
      driver: 'pglite',
      dataDir: './.data',
      migrateOnStart: true,
      seedDemoData: true,
    });
    expect(config.port).toBe(8787);
    expect(config.host).toBe('127.0.0.1');
  });

  it('Should choose pg for a plain Postgres URL and neon-http for a Neon host', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u@db:5432/app' }).database).toMatchObject({
      driver: 'pg',
      migrateOnStart: false,
      seedDemoData: false,
    });
    expect(
      parseConfig({ DATABASE_URL: 'postgresql://u:p@ep-x-1.eu-central-1.aws.neon.tech/app' }).database.driver,
    ).toBe('neon-http');
    expect(
      parseConfig({ DATABASE_URL: 'postgres://u@localhost/app', DATABASE_DRIVER: 'neon-http' }).database.driver,
    ).toBe('neon-http');
  });

  it('Should name every bad field in one error', () => {
    const attempt = () => parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const fields = (error as ConfigError).issues.map((i) => i.field);
      expect(fields).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'LOG_LEVEL']));
      expect((error as Error).message).toContain('PORT');
    }
  });

  it('Should require DATABASE_URL for a server driver', () => {
    expect(() => parseConfig({ DATABASE_DRIVER: 'pg' })).toThrow(/DATABASE_URL/);
  });

  it('Should parse booleans and lists from strings, ignoring empty values', () => {
    const config = parseConfig({
      MIGRATE_ON_START: 'false',
      ACCESS_LOG: 'off',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      PORT: '',
    });
    expect(config.database.migrateOnStart).toBe(false);
    expect(config.accessLog).toBe(false);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.port).toBe(8787);
  });
});

describe('config: key-value store', () => {
  const upstash = { UPSTASH_REDIS_REST_URL: 'https://eu1-x.upstash.io/', UPSTASH_REDIS_REST_TOKEN: 'tok' };

  it('Should default to memory with the edgeplane: key prefix', () => {
    expect(parseConfig({}).kv).toEqual({ driver: 'memory', keyPrefix: 'edgeplane:' });
  });

  it('Should choose Redis for REDIS_URL, and Upstash over it when both are set', () => {
    expect(parseConfig({ REDIS_URL: 'rediss://u:p@cache:6380/2', KV_KEY_PREFIX: 'app1:' }).kv).toMatchObject({
      driver: 'redis',
      redisUrl: 'rediss://u:p@cache:6380/2',
      keyPrefix: 'app1:',
    });
    expect(parseConfig({ ...upstash, REDIS_URL: 'redis://cache' }).kv).toMatchObject({
      driver: 'upstash',
      upstash: { url: 'https://eu1-x.upstash.io', token: 'tok' },
    });
  });

  it('Should name the missing half of the Upstash pair', () => {
    for (const [given, missing] of [
      [{ UPSTASH_REDIS_REST_URL: upstash.UPSTASH_REDIS_REST_URL }, 'UPSTASH_REDIS_REST_TOKEN'],
      [{ UPSTASH_REDIS_REST_TOKEN: 'tok' }, 'UPSTASH_REDIS_REST_URL'],
    ] as const) {
      try {
        parseConfig(given);
        expect.unreachable('parseConfig should have thrown');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).issues.map((i) => i.field)).toEqual([missing]);
      }
    }
  });

  it('Should reject a REDIS_URL that is not redis:// or rediss://', () => {
    expect(() => parseConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL/);
    expect(() => parseConfig({ ...upstash, UPSTASH_REDIS_REST_URL: 'redis://x' })).toThrow(/UPSTASH_REDIS_REST_URL/);
  });
});

describe('config: rate limits and caching', () => {
  it('Should default rate limits and cache lifetimes, and name a bad one', () => {
    const config = parseConfig({});
    expect(config.rateLimit).toEqual({
      enabled: true,
      anonymousPerMinute: 120,
      userPerMinute: 600,
      loginPerMinute: 10,
      writesWhenStoreDown: 'open',
    });
    expect(config.trustProxy).toBe(false);
    expect(config.cacheSeconds).toEqual({ item: 60, stats: 30 });
    const set = parseConfig({
      RATE_LIMIT_ENABLED: 'off',
      RATE_LIMIT_WRITES_WHEN_STORE_DOWN: 'closed',
      TRUST_PROXY: '1',
    });
    expect([set.rateLimit.enabled, set.rateLimit.writesWhenStoreDown, set.trustProxy]).toEqual([false, 'closed', true]);
    expect(() => parseConfig({ RATE_LIMIT_LOGIN_PER_MINUTE: '0', STATS_CACHE_SECONDS: 'soon' })).toThrow(
      /RATE_LIMIT_LOGIN_PER_MINUTE[\s\S]*STATS_CACHE_SECONDS/,
    );
  });
});

describe('config: observability', () => {
  it('Should default to metrics on, no token and no OTLP export', () => {
    expect(parseConfig({}).observability).toEqual({
      redactKeys: [],
      metricsEnabled: true,
      metricsToken: undefined,
      otlp: undefined,
      serviceName: 'edgeplane',
      traceSampleRatio: 1,
      metricsPushIntervalSeconds: 10,
    });
  });

  it('Should read the OTLP endpoint with its headers, and the rest of the settings', () => {
    const config = parseConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-scope=team-a',
      OTEL_SERVICE_NAME: 'edgeplane-eu',
      TRACE_SAMPLE_RATIO: '0.25',
      METRICS_TOKEN: 'a-long-enough-token',
      METRICS_ENABLED: 'false',
      LOG_REDACT_KEYS: 'ssn, iban',
      METRICS_PUSH_INTERVAL_SECONDS: '0',
    });
    expect(config.observability).toEqual({
      redactKeys: ['ssn', 'iban'],
      metricsEnabled: false,
      metricsToken: 'a-long-enough-token',
      otlp: { endpoint: 'https://otlp.example.com', headers: { authorization: 'Bearer abc', 'x-scope': 'team-a' } },
      serviceName: 'edgeplane-eu',
      traceSampleRatio: 0.25,
      metricsPushIntervalSeconds: 0,
    });
  });

  it('Should name each bad observability setting', () => {
    expect(() =>
      parseConfig({
        METRICS_TOKEN: 'short',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector',
        OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign',
        TRACE_SAMPLE_RATIO: '2',
      }),
    ).toThrow(
      /METRICS_TOKEN[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OTEL_EXPORTER_OTLP_HEADERS[\s\S]*TRACE_SAMPLE_RATIO/,
    );
  });
});
