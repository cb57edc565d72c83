import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { createTelemetry } from '../../../core/observability/telemetry.ts';
import type { DbHandle } from '../../../db/types.ts';
import { createDispatcher } from '../../../jobs/dispatcher.ts';
import { parseExposition, type Sample, sampleValue } from '../../../test/support/exposition.ts';
import { backend, testDeps, unique, useTestApp } from '../../../test/support/harness.ts';
import { withTelemetry } from '../../../test/support/telemetry.ts';
import { createApp } from '../../app.ts';

const TOKEN = 'metrics-token-for-tests-0123';

const observed = (settings: Record<string, string> = {}) =>
  withTelemetry({ settings: { METRICS_TOKEN: TOKEN, ...settings } });

describe.skipIf(backend.skip)(`GET /metrics [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true, prepare: observed() });

  const scrape = async (): Promise<Sample[]> => {
    const response = await t.request('/metrics', { as: 'anonymous', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');

    return parseExposition(await response.text());
  };

  it('Should send exactly the media type its OpenAPI document declares', async () => {
    const response = await t.request('/metrics', { as: 'anonymous', headers: { authorization: `Bearer ${TOKEN}` } });
    const doc = (await (await t.request('/openapi.json')).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    expect(Object.keys(doc.paths['/metrics']?.get.responses['200']?.content ?? {})).toEqual([
      response.headers.get('content-type'),
    ]);
  });

  it('Should refuse a scrape without the metrics token, or with a user token instead', async () => {
    expect((await t.request('/metrics', { as: 'anonymous' })).status).toBe(401);
    const asAdmin = await t.request('/metrics', { as: 'admin' });
    expect(asAdmin.status).toBe(401);
    expect(asAdmin.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('Should count requests by method, route template and status class, and time them', async () => {
    const labels = { method: 'GET', route: '/api/v1/items/:id', status: '4xx' };
    const before = await scrape();
    for (let i = 0; i < 3; i++) {
      expect((await t.request(`/api/v1/items/${crypto.randomUUID()}`)).status).toBe(404);
    }
    const after = await scrape();
    expect(sampleValue(after, 'http_requests_total', labels) - sampleValue(before, 'http_requests_total', labels)).toBe(
      3,
    );
    const count = 'http_request_duration_seconds_count';
    expect(sampleValue(after, count, labels) - sampleValue(before, count, labels)).toBe(3);
    expect(
      sampleValue(after, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }) -
        sampleValue(before, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }),
    ).toBe(3);
    // Every query the requests ran was timed.
    expect(
      sampleValue(after, 'db_query_duration_seconds_count', { operation: 'select', outcome: 'ok' }),
    ).toBeGreaterThan(sampleValue(before, 'db_query_duration_seconds_count', { operation: 'select', outcome: 'ok' }));
  });

  it('Should keep one series per route template after requests to 1,000 distinct item ids', async () => {
    const created = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('metrics') } });
    expect(created.status).toBe(201);
    const seriesBefore = (await scrape()).filter((s) => s.name === 'http_requests_total').length;
    const ids = Array.from({ length: 1_000 }, () => crypto.randomUUID());
    for (const id of ids) await t.request(`/api/v1/items/${id}`);
    const samples = await scrape();
    const series = samples.filter((s) => s.name === 'http_requests_total');
    // At most the scrape's own series is new: the ids went into one template.
    expect(series.length - seriesBefore).toBeLessThanOrEqual(1);
    const text = JSON.stringify(samples);
    expect(ids.some((id) => text.includes(id))).toBe(false);
    expect(samples.every((s) => !s.labels.route?.includes('-'))).toBe(true);
  });

  it('Should count jobs enqueued and their runs by type and outcome, and report the queue', async () => {
    const before = await scrape();
    const enqueued = await t.request('/api/v1/jobs', {
      method: 'POST',
      as: 'editor',
      json: { type: 'cleanup', payload: {} },
    });
    expect(enqueued.status).toBe(202);
    const queued = await scrape();
    expect(sampleValue(queued, 'jobs_enqueued_total', { type: 'cleanup' })).toBe(
      sampleValue(before, 'jobs_enqueued_total', { type: 'cleanup' }) + 1,
    );
    expect(sampleValue(queued, 'jobs_queue_depth', { state: 'queued' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(queued, 'database_up')).toBe(1);

    const dispatcher = createDispatcher(t.deps, {
      concurrency: 2,
      pollIntervalMs: 50,
      leaseMs: 5_000,
      schedule: false,
    });
    await dispatcher.drain();
    const after = await scrape();
    const outcome = { type: 'cleanup', outcome: 'succeeded' };
    expect(sampleValue(after, 'job_runs_total', outcome) - sampleValue(before, 'job_runs_total', outcome)).toBe(1);
    expect(
      sampleValue(after, 'job_run_duration_seconds_count', outcome) -
        sampleValue(before, 'job_run_duration_seconds_count', outcome),
    ).toBe(1);
    expect(sampleValue(after, 'jobs_queue_depth', { state: 'queued' })).toBe(0);
    expect(sampleValue(after, 'jobs_oldest_queued_age_seconds')).toBe(0);
  });

  it('Should count cache hits and misses of item reads', async () => {
    const created = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('cached') } });
    const { id } = (await created.json()) as { id: string };
    const before = await scrape();
    await t.request(`/api/v1/items/${id}`);
    await t.request(`/api/v1/items/${id}`);
    const after = await scrape();
    expect(sampleValue(after, 'cache_misses_total', { cache: 'item' })).toBe(
      sampleValue(before, 'cache_misses_total', { cache: 'item' }) + 1,
    );
    expect(sampleValue(after, 'cache_hits_total', { cache: 'item' })).toBe(
      sampleValue(before, 'cache_hits_total', { cache: 'item' }) + 1,
    );
  });
});

describe.skipIf(backend.skip)(`GET /metrics without a token [${backend.label}]`, () => {
  it('Should be open outside production and off (404) in production', async () => {
    const base = testDeps({ db: {} } as unknown as DbHandle);
    const open = createApp(observed({ METRICS_TOKEN: '' })(base));
    const response = await open.request('/metrics');
    expect(response.status).toBe(200);
    expect(parseExposition(await response.text()).length).toBeGreaterThan(0);
    const production = createApp(observed({ METRICS_TOKEN: '', APP_ENV: 'production' })(base));
    expect((await production.request('/metrics')).status).toBe(404);
  });

  it('Should count requests refused by the rate limit, by bucket', async () => {
    const base = testDeps({ db: {} } as unknown as DbHandle);
    const app = createApp(
      observed({ METRICS_TOKEN: '', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_ANON_PER_MINUTE: '1' })(base),
    );
    expect((await app.request('/api/v1/items')).status).toBe(401);
    expect((await app.request('/api/v1/items')).status).toBe(429);
    const samples = parseExposition(await (await app.request('/metrics')).text());
    expect(sampleValue(samples, 'rate_limit_rejections_total', { bucket: 'ip' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', route: '/api/v1/items', status: '4xx' })).toBe(
      2,
    );
  });

  it('Should answer 404 where metrics are pushed instead (Workers) or turned off', async () => {
    const base = testDeps({ db: {} } as unknown as DbHandle);
    const config = parseConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', METRICS_TOKEN: TOKEN });
    const pushed = createTelemetry(config, { metricsMode: 'push', logger: base.logger, runtime: 'workerd' });
    const worker = createApp({ ...base, config, telemetry: pushed });
    const answer = await worker.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { detail: string }).detail).toMatch(/OTLP/);
    const off = createApp(observed({ METRICS_ENABLED: 'false' })(base));
    expect((await off.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });
});
