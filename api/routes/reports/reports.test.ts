import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/items.ts';
import { reportSummary, storeReport } from '../../../db/queries/reports.ts';
import { jobs, reports } from '../../../db/schema.ts';
import { createDispatcher } from '../../../jobs/dispatcher.ts';
import { parseCsv } from '../../../jobs/lib/csv.ts';
import { jobDefinition } from '../../../jobs/registry.ts';
import { deliverJob } from '../../../jobs/runner.ts';
import { createGenerateReportJob } from '../../../jobs/types/generate-report.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`reports [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  const create = async (body: Record<string, unknown>) => {
    const res = await t.request('/api/v1/items', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    return (await res.json()) as Item;
  };
  const drain = () =>
    createDispatcher(t.deps, { concurrency: 2, pollIntervalMs: 50, leaseMs: 30_000, schedule: false }).drain();
  /** Asks for a report, runs its job and returns the job. */
  const generate = async (body: Record<string, unknown>) => {
    const res = await t.request('/api/v1/reports', { method: 'POST', json: body });
    expect(res.status, await res.clone().text()).toBe(202);
    const accepted = await res.json();
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${accepted.id}`);
    await drain();
    return (await t.request(`/api/v1/jobs/${accepted.id}`)).json();
  };

  it('Should serve a CSV report of the filtered items as an attachment, defusing formulas', async () => {
    const tag = unique('csv');
    const formula = await create({ title: '=HYPERLINK("http://evil.test","click")', tags: [tag], status: 'done' });
    const quoted = await create({
      title: 'Quotes "and", commas',
      description: 'two\nlines',
      tags: [tag, 'x'],
      status: 'done',
      priority: 'high',
      dueAt: '2031-01-02T03:04:05.000Z',
    });
    await create({ title: 'not done', tags: [tag], status: 'pending' });

    const job = await generate({ format: 'csv', filter: { tag, status: 'done' } });
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ reportId: job.id, url: `/api/v1/reports/${job.id}`, rowCount: 2 });

    const res = await t.request(`/api/v1/reports/${job.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="items-\\d{4}-\\d{2}-\\d{2}-${job.id.slice(0, 8)}\\.csv"$`),
    );
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text).map((r) => r.fields);
    expect(header).toEqual([
      'id',
      'title',
      'description',
      'status',
      'priority',
      'tags',
      'ownerId',
      'dueAt',
      'version',
      'createdAt',
      'updatedAt',
    ]);
    // Newest first, like the list endpoint.
    expect(rows.map((r) => r[0])).toEqual([quoted.id, formula.id]);
    expect(rows[0]).toEqual([
      quoted.id,
      'Quotes "and", commas',
      'two\nlines',
      'done',
      'high',
      `${tag};x`,
      // Made by a signed-in user, who therefore owns it.
      quoted.ownerId,
      '2031-01-02T03:04:05.000Z',
      '1',
      quoted.createdAt,
      quoted.updatedAt,
    ]);
    expect(rows[1]?.[1]).toBe(`'=HYPERLINK("http://evil.test","click")`);
  });

  it('Should serve a JSON report, enqueued through POST /api/v1/jobs, as the API shows the items', async () => {
    const tag = unique('json');
    const a = await create({ title: 'a', tags: [tag], priority: 'low' });
    const b = await create({ title: 'b', tags: [tag], priority: 'urgent' });
    await create({ title: 'c', tags: [tag], priority: 'medium' });
    const res = await t.request('/api/v1/jobs', {
      method: 'POST',
      json: { type: 'generate-report', payload: { format: 'json', filter: { tag, priority: ['low', 'urgent'] } } },
    });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await drain();
    const report = await t.request(`/api/v1/reports/${id}`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('application/json');
    expect(report.headers.get('content-disposition')).toMatch(/^attachment; filename="items-.*\.json"$/);
    expect(await report.json()).toEqual([b, a]);
  });

  it('Should store one report for a job, however often it runs', async () => {
    const tag = unique('dup');
    await create({ title: 'first', tags: [tag] });
    const job = await generate({ format: 'csv', filter: { tag } });
    const first = await (await t.request(`/api/v1/reports/${job.id}`)).text();

    await create({ title: 'second', tags: [tag] });
    await t.handle.db.update(jobs).set({ status: 'queued', attempts: 0, runAt: sql`now()` }).where(eq(jobs.id, job.id));
    expect(await deliverJob(t.deps, job.id, 'rerun')).toBe('succeeded');
    expect(await deliverJob(t.deps, job.id, 'duplicate')).toBe('already-finished');

    const stored = await t.handle.db.select().from(reports).where(eq(reports.id, job.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.content).toBe(first);
    expect((await t.handle.db.select().from(jobs).where(eq(jobs.id, job.id)))[0]?.result).toMatchObject({
      rowCount: 1,
    });
    const again = { ...(stored[0] as typeof reports.$inferSelect), content: 'overwritten?' };
    expect(await storeReport(t.handle.db, again)).toBe(false);
    expect((await reportSummary(t.handle.db, job.id))?.rowCount).toBe(1);
  });

  it('Should keep the newest items and say so when more match than a report holds', async () => {
    const tag = unique('cap');
    for (const title of ['1', '2', '3']) await create({ title, tags: [tag] });
    const small = createGenerateReportJob({ maxRows: 2, pageSize: 1 });
    const { id } = await (
      await t.request('/api/v1/reports', { method: 'POST', json: { format: 'json', filter: { tag } } })
    ).json();
    const definitions = (type: string) => (type === 'generate-report' ? small : jobDefinition(type));
    expect(await deliverJob(t.deps, id, 'capped', { definitions })).toBe('succeeded');
    const job = await (await t.request(`/api/v1/jobs/${id}`)).json();
    expect(job.result).toMatchObject({ rowCount: 2, truncated: true });
    const items = (await (await t.request(`/api/v1/reports/${id}`)).json()) as Item[];
    expect(items.map((i) => i.title)).toEqual(['3', '2']);
  });

  it('Should answer 404 saying the job is queued for a report not generated yet', async () => {
    const res = await t.request('/api/v1/jobs', {
      method: 'POST',
      json: { type: 'generate-report', runAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const { id } = await res.json();
    const report = await t.request(`/api/v1/reports/${id}`);
    expect(report.status).toBe(404);
    expect(report.headers.get('content-type')).toBe('application/problem+json');
    const problem = await report.json();
    expect(problem).toMatchObject({ code: 'not_found', jobStatus: 'queued' });
    expect(problem.detail).toContain('not ready yet: its job is queued');
    await t.request(`/api/v1/jobs/${id}/cancel`, { method: 'POST' });
    const cancelled = await (await t.request(`/api/v1/reports/${id}`)).json();
    expect(cancelled).toMatchObject({ jobStatus: 'cancelled' });
    expect(cancelled.detail).toContain('will not be generated');
  });

  it('Should answer 404 for an id that is no report job, and 422 for one that is no uuid', async () => {
    const unknown = await t.request(`/api/v1/reports/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).detail).toMatch(/does not exist/);
    expect((await t.request('/api/v1/reports/not-a-uuid')).status).toBe(422);
  });

  it('Should refuse an unknown format or filter by field', async () => {
    const bad = await t.request('/api/v1/reports', {
      method: 'POST',
      json: { format: 'xlsx', filter: { status: ['later'], colour: 'red' } },
    });
    expect(bad.status).toBe(422);
    const fields = (await bad.json()).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['format', 'filter.status', 'filter.colour']));
  });
});
