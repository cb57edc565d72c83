import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../db/kv/memory.ts';
import { items, jobs } from '../../../db/schema.ts';
import { JOB_DEFINITIONS } from '../../../jobs/registry.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

const NOW = Date.parse('2030-01-15T10:00:00Z');
const at = (iso: string) => new Date(iso);
const ago = (ms: number) => new Date(NOW - ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.skipIf(backend.skip)(`GET /api/v1/stats [${backend.label}]`, () => {
  // One clock for the app and its store, so the stats cache expires when the test says.
  const clock = { now: new Date(NOW) };
  const t = useTestApp(
    { clock: () => clock.now, kv: createMemoryStore({ keyPrefix: 'stats-test:', clock: () => clock.now }) },
    { isolated: true },
  );
  // An API key, which (unlike an access token) stays valid however far the clock moves.
  const stats = async () => {
    const res = await t.request('/api/v1/stats', { as: 'viewer-key' });
    expect(res.status).toBe(200);
    return { res, body: await res.json() };
  };
  const addItem = (row: Partial<typeof items.$inferInsert>) =>
    t.handle.db.insert(items).values({ title: unique('stats'), ...row });

  it('Should count items and jobs exactly, fill every day, compute duration percentiles, and cache briefly', async () => {
    await addItem({ status: 'pending', priority: 'low', createdAt: at('2030-01-15T09:00:00Z') });
    await addItem({ status: 'pending', priority: 'high', createdAt: at('2030-01-15T00:00:00Z') });
    await addItem({ status: 'done', priority: 'high', createdAt: at('2030-01-14T23:59:59.999Z') });
    await addItem({ status: 'in_progress', priority: 'urgent', createdAt: at('2029-12-17T00:00:00Z') });
    await addItem({ status: 'archived', priority: 'medium', createdAt: at('2029-12-16T23:59:59Z') });
    // Deleted: out of the status and priority counts, still created on its day.
    await addItem({
      status: 'done',
      priority: 'low',
      createdAt: at('2030-01-10T12:00:00Z'),
      deletedAt: at('2030-01-11T00:00:00Z'),
    });

    // Succeeded in the last 7 days after 100, 200, … 1000 ms.
    const started = ago(HOUR);
    await t.handle.db.insert(jobs).values(
      Array.from({ length: 10 }, (_, i) => ({
        type: 'generate-report',
        status: 'succeeded' as const,
        startedAt: started,
        finishedAt: new Date(started.getTime() + (i + 1) * 100),
      })),
    );
    const never = at('2999-01-01T00:00:00Z');
    await t.handle.db.insert(jobs).values([
      // Outside the duration window, and not succeeded: neither counts towards durations.
      { type: 'generate-report', status: 'succeeded', startedAt: ago(8 * DAY), finishedAt: ago(8 * DAY - 50_000) },
      { type: 'process-data', status: 'failed', startedAt: ago(HOUR), finishedAt: ago(HOUR - 99_000), runAt: never },
      { type: 'cleanup', status: 'queued', runAt: never },
      { type: 'cleanup', status: 'queued', runAt: never },
      { type: 'send-notification', status: 'dead' },
    ]);

    const { res, body } = await stats();
    expect(res.headers.get('cache-control')).toBe('private, max-age=30');
    expect(body.generatedAt).toBe('2030-01-15T10:00:00.000Z');
    expect(body.items.byStatus).toEqual({ pending: 2, in_progress: 1, done: 1, archived: 1 });
    expect(body.items.byPriority).toEqual({ low: 1, medium: 1, high: 2, urgent: 1 });

    const perDay = body.items.createdPerDay as { date: string; count: number }[];
    expect(perDay).toHaveLength(30);
    expect(perDay[0]).toEqual({ date: '2029-12-17', count: 1 });
    expect(perDay[29]).toEqual({ date: '2030-01-15', count: 2 });
    expect(perDay.filter((d) => d.count > 0)).toEqual([
      { date: '2029-12-17', count: 1 },
      { date: '2030-01-10', count: 1 },
      { date: '2030-01-14', count: 1 },
      { date: '2030-01-15', count: 2 },
    ]);
    // Consecutive days, none missing.
    for (let i = 1; i < perDay.length; i++) {
      expect(Date.parse(perDay[i]?.date as string) - Date.parse(perDay[i - 1]?.date as string)).toBe(DAY);
    }

    expect(body.jobs.byState).toEqual({ queued: 2, running: 0, succeeded: 11, failed: 1, dead: 1, cancelled: 0 });
    expect(body.jobs.byType).toEqual({
      ...Object.fromEntries(JOB_DEFINITIONS.map((d) => [d.type, 0])),
      'generate-report': 11,
      'process-data': 1,
      cleanup: 2,
      'send-notification': 1,
    });
    // percentile_cont interpolates: p50 of 100…1000 is 550, p90 910, p99 991.
    expect(body.jobs.durationMs).toEqual({ windowDays: 7, count: 10, p50: 550, p90: 910, p99: 991 });

    // Within the TTL the cached figures are served, current for what is left of it.
    await addItem({ status: 'pending', priority: 'low', createdAt: at('2030-01-15T09:30:00Z') });
    clock.now = new Date(NOW + 10_000);
    const cached = await stats();
    expect(cached.body).toEqual(body);
    expect(cached.res.headers.get('cache-control')).toBe('private, max-age=20');

    clock.now = new Date(NOW + 30_000);
    const fresh = await stats();
    expect(fresh.body.generatedAt).toBe('2030-01-15T10:00:30.000Z');
    expect(fresh.body.items.byStatus.pending).toBe(3);
    expect(fresh.body.items.createdPerDay[29]).toEqual({ date: '2030-01-15', count: 3 });
  });

  it('Should answer zeros and null percentiles where there is nothing to count, and be in the OpenAPI document', async () => {
    clock.now = new Date(NOW + 10 * DAY);
    const { body } = await stats();
    expect(body.jobs.durationMs).toEqual({ windowDays: 7, count: 0, p50: null, p90: null, p99: null });
    expect(body.items.createdPerDay.at(-1)).toEqual({ date: '2030-01-25', count: 0 });

    const doc = await (await t.request('/openapi.json')).json();
    expect(doc.paths['/api/v1/stats'].get.tags).toEqual(['Stats']);
    expect(doc.paths['/api/v1/stats'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Stats',
    });
  });
});
