import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLogs, jobs } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`jobs API [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  const enqueue = (body: unknown, headers: Record<string, string> = {}) =>
    t.request('/api/v1/jobs', { method: 'POST', json: body, headers });
  const later = () => new Date(Date.now() + 3_600_000).toISOString();

  it('Should accept a job with 202, a Location and the queued job', async () => {
    const res = await enqueue({ type: 'cleanup', runAt: later() });
    expect(res.status).toBe(202);
    const job = await res.json();
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ type: 'cleanup', status: 'queued', attempts: 0, maxAttempts: 5, payload: {} });
    const read = await t.request(`/api/v1/jobs/${job.id}`);
    expect(await read.json()).toEqual(job);
  });

  it('Should audit the enqueue with the request id', async () => {
    const requestId = unique('req');
    const job = await (await enqueue({ type: 'cleanup', runAt: later() }, { 'x-request-id': requestId })).json();
    const [row] = await t.handle.db.select().from(auditLogs).where(eq(auditLogs.entityId, job.id));
    expect(row).toMatchObject({ action: 'job.created', entityType: 'job', requestId });
    expect(job.requestId).toBe(requestId);
  });

  it('Should reject an unknown type and a payload its type does not accept, naming the field', async () => {
    const unknown = await enqueue({ type: 'mine-bitcoin', payload: {} });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors[0]).toMatchObject({ field: 'type', in: 'body' });
    const badPayload = await enqueue({ type: 'cleanup', payload: { everything: true } });
    expect(badPayload.status).toBe(422);
    expect((await badPayload.json()).errors[0].field).toMatch(/^payload/);
    const badMax = await enqueue({ type: 'cleanup', maxAttempts: 0 });
    expect((await badMax.json()).errors[0].field).toBe('maxAttempts');
  });

  it('Should refuse a run time Postgres cannot store with 422 naming runAt, and queue nothing', async () => {
    const before = await t.handle.db.$count(jobs);
    for (const runAt of ['0000-06-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00']) {
      const res = await enqueue({ type: 'cleanup', runAt });
      expect(res.status, runAt).toBe(422);
      expect((await res.json()).errors).toEqual([
        { field: 'runAt', in: 'body', message: 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z' },
      ]);
    }
    expect(await t.handle.db.$count(jobs)).toBe(before);
    expect((await enqueue({ type: 'cleanup', runAt: '9999-12-31T23:59:59.999Z' })).status).toBe(202);
  });

  it('Should return the original job for a repeated Idempotency-Key, and 409 for a different request', async () => {
    const key = unique('idem');
    const first = await enqueue({ type: 'cleanup', runAt: later() }, { 'idempotency-key': key });
    const again = await enqueue({ type: 'cleanup', runAt: later() }, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = [await first.json(), await again.json()];
    expect(b.id).toBe(a.id);
    const rows = await t.handle.db.select().from(jobs).where(eq(jobs.idempotencyKey, key));
    expect(rows).toHaveLength(1);
    const other = await enqueue({ type: 'generate-report', payload: { format: 'csv' } }, { 'idempotency-key': key });
    expect([409, 422]).toContain(other.status);
  });

  it('Should cancel a queued job once, with an audit row', async () => {
    const job = await (await enqueue({ type: 'cleanup', runAt: later() })).json();
    const res = await t.request(`/api/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('cancelled');
    const again = await t.request(`/api/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'conflict', currentStatus: 'cancelled' });
    const audits = await t.handle.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, job.id), eq(auditLogs.action, 'job.cancelled')));
    expect(audits[0]?.before).toMatchObject({ status: 'queued' });
    expect(audits[0]?.after).toMatchObject({ status: 'cancelled' });
  });

  it('Should retry only failed or dead jobs, with a fresh set of attempts', async () => {
    const job = await (await enqueue({ type: 'cleanup', runAt: later() })).json();
    expect((await t.request(`/api/v1/jobs/${job.id}/retry`, { method: 'POST' })).status).toBe(409);
    await t.handle.db
      .update(jobs)
      .set({ status: 'dead', attempts: 5, lastError: 'boom', finishedAt: new Date() })
      .where(eq(jobs.id, job.id));
    const res = await t.request(`/api/v1/jobs/${job.id}/retry`, { method: 'POST' });
    expect(res.status).toBe(200);
    const retried = await res.json();
    expect(retried).toMatchObject({ status: 'queued', attempts: 0, finishedAt: null, lastError: 'boom' });
    expect(new Date(retried.runAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('Should 404 unknown jobs for get, retry and cancel', async () => {
    const id = crypto.randomUUID();
    for (const [path, method] of [
      [`/api/v1/jobs/${id}`, 'GET'],
      [`/api/v1/jobs/${id}/retry`, 'POST'],
      [`/api/v1/jobs/${id}/cancel`, 'POST'],
    ]) {
      const res = await t.request(path as string, { method });
      expect(res.status, path).toBe(404);
    }
  });

  it('Should list jobs newest first, filtered by type and status, with cursors', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await (await enqueue({ type: 'cleanup', runAt: later() })).json()).id);
    await t.request(`/api/v1/jobs/${ids[0]}/cancel`, { method: 'POST' });
    const cancelled = await (await t.request('/api/v1/jobs?status=cancelled&type=cleanup&limit=100')).json();
    expect(cancelled.data.map((j: { id: string }) => j.id)).toContain(ids[0]);
    expect(cancelled.data.every((j: { status: string }) => j.status === 'cancelled')).toBe(true);
    const first = await (await t.request('/api/v1/jobs?limit=2')).json();
    const second = await (await t.request(`/api/v1/jobs?limit=2&cursor=${first.nextCursor}`)).json();
    const seen = [...first.data, ...second.data].map((j: { id: string }) => j.id);
    expect(new Set(seen).size).toBe(seen.length);
    const created = [...first.data, ...second.data].map((j: { createdAt: string }) => j.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    expect((await t.request('/api/v1/jobs?status=waiting')).status).toBe(422);
  });

  it('Should report the delivery endpoint as not configured without QStash', async () => {
    const res = await t.request('/api/v1/jobs/deliver', { method: 'POST', json: { jobId: crypto.randomUUID() } });
    expect(res.status).toBe(404);
  });
});
