import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore } from '../../../db/kv/upstash.ts';
import { openPg } from '../../../db/node/pg.ts';
import { backend, testDeps, useIsolatedDatabase, useTestApp } from '../../../test/support/harness.ts';
import { createApp } from '../../app.ts';

describe.skipIf(backend.skip)(`health [${backend.label}]`, () => {
  const t = useTestApp();

  it('Should report live without touching dependencies', async () => {
    const res = await t.request('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('Should report ready with the database up, the version and the uptime', async () => {
    const res = await t.request('/health/ready');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      checks: { database: { status: 'up' }, cache: { status: 'up', kind: 'memory', latencyMs: expect.any(Number) } },
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.queue).toMatchObject({
      delivery: 'dispatcher',
      queued: expect.any(Number),
      running: expect.any(Number),
    });
  });
});

// Another session holds the jobs table (a migration, a long purge): `select 1` answers, the
// queue depth cannot be read. PGlite has one session, so this needs Postgres.
describe.skipIf(backend.name !== 'postgres')('readiness with the jobs table locked [postgres]', () => {
  const isolated = useIsolatedDatabase();
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(testDeps(isolated.handle));
  });

  it('Should answer 200 with the queue unknown instead of waiting for the lock', async () => {
    const locker = new pg.Client({ connectionString: isolated.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE');
      const res = await app.request('/health/ready');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } }, queue: null });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });
});

describe(`health and requests with the database down`, () => {
  // A real pool pointed at a port nothing listens on: the driver fails as in an outage.
  const down = openPg({ url: 'postgres://postgres@127.0.0.1:9/unreachable', poolSize: 1 });
  const t = useTestApp({ db: down.db }, { offline: true });

  it('Should report not ready with 503 naming the database', async () => {
    const res = await t.request('/health/ready');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ code: 'service_unavailable', checks: { database: { status: 'down' } } });
    expect(body.detail).toContain('database');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });

  it('Should answer API requests with 503 and Retry-After, not a crash', async () => {
    const res = await t.request('/api/v1/items');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await res.json()).code).toBe('service_unavailable');
    const write = await t.request('/api/v1/items', { method: 'POST', json: { title: 'while down' } });
    expect(write.status).toBe(503);
  });

  it('Should still report live', async () => {
    expect((await t.request('/health/live')).status).toBe(200);
  });
});

describe.skipIf(backend.skip)(`health with the cache store down [${backend.label}]`, () => {
  // A real Upstash client pointed at a port nothing listens on.
  const t = useTestApp({
    kv: createUpstashStore({ url: 'http://127.0.0.1:9', token: 'unused', keyPrefix: 'test:', retries: 0 }),
  });

  it('Should stay ready on the database alone, reporting the cache down', async () => {
    const res = await t.request('/health/ready');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.checks).toMatchObject({
      database: { status: 'up' },
      cache: { status: 'down', kind: 'upstash', error: 'unreachable' },
    });
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });
});

describe.skipIf(backend.skip)(`health with a cache store that stops answering [${backend.label}]`, () => {
  // An HTTP endpoint that accepts connections and never answers, as a stalled Upstash would.
  const silent = createServer(() => {});
  beforeAll(() => new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)));
  afterAll(() => {
    silent.closeAllConnections?.();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const t = useTestApp(
    {},
    {
      prepare: (deps) => ({
        ...deps,
        kv: createUpstashStore({
          url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          token: 'unused',
          keyPrefix: 'test:',
          retries: 0,
          replyLimitMs: 300,
        }),
      }),
    },
  );

  it('Should stay ready, reporting the cache down with the limit it did not answer within', async () => {
    const res = await t.request('/health/ready');
    expect(res.status).toBe(200);
    expect((await res.json()).checks.cache).toMatchObject({
      status: 'down',
      kind: 'upstash',
      error: 'Upstash did not answer within 300 ms',
    });
  });
});

describe.skipIf(backend.skip)(`health while draining [${backend.label}]`, () => {
  const t = useTestApp({ lifecycle: () => ({ phase: 'stopping' }) });

  it('Should fail readiness so the load balancer stops sending traffic', async () => {
    const res = await t.request('/health/ready');
    expect(res.status).toBe(503);
    expect((await res.json()).detail).toMatch(/shutting down/);
  });
});

describe.skipIf(backend.skip)(`health while starting [${backend.label}]`, () => {
  const detail = 'waiting for the database (try 3: ECONNREFUSED)';
  const t = useTestApp({ lifecycle: () => ({ phase: 'starting', detail }) });

  it('Should stay live, fail readiness saying why, and answer API calls 503 with Retry-After', async () => {
    expect((await t.request('/health/live')).status).toBe(200);
    const ready = await t.request('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect((await ready.json()).detail).toBe(`Starting: ${detail}.`);
    const api = await t.request('/api/v1/items');
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(api.headers.get('content-type')).toBe('application/problem+json');
    expect(api.headers.get('x-request-id')).toBeTruthy();
    expect(await api.json()).toMatchObject({ code: 'service_unavailable', detail: expect.stringContaining(detail) });
  });
});
