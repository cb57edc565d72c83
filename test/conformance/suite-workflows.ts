import { expect, it } from 'vitest';
import type { ConformanceClient } from './client.ts';

const HOUR_MS = 3_600_000;

/**
 * The suite's longer paths through the API: roles, the audit trail, imports and
 * reports as jobs, cancelling, and the body limit. Registered inside the suite's
 * describe, signed in as its admin.
 */
export function workflowTests(client: ConformanceClient): void {
  const { send, tag, create, waitForJob } = client;

  it('Should let a viewer read items but refuse their writes with a 403 problem', async () => {
    const user = { email: `viewer-${tag()}@edgeplane.test`, password: `viewer-${crypto.randomUUID()}` };
    const invited = await send('/api/v1/users', { method: 'POST', json: { ...user, name: 'Viewer', role: 'viewer' } });
    expect(invited.status).toBe(201);
    const login = await client.signIn(user);
    expect(login.status).toBe(200);
    const { accessToken } = await login.json();
    expect((await send('/api/v1/items?limit=1', { token: accessToken })).status).toBe(200);
    const denied = await send('/api/v1/items', { method: 'POST', json: { title: 'Not mine' }, token: accessToken });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
    expect((await denied.json()).code).toBe('forbidden');
  });

  it('Should record each item change in the audit trail with the request id that made it', async () => {
    const t = tag();
    const { item } = await create({ title: `Audited ${t}` }, { 'x-request-id': `${t}-create` });
    const update = await send(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      json: { status: 'done' },
      headers: { 'if-match': '"1"', 'x-request-id': `${t}-update` },
    });
    expect(update.status).toBe(200);
    const audit = await (await send(`/api/v1/audit?entityType=item&entityId=${item.id}`)).json();
    expect(audit.data.map((e: { action: string; requestId: string }) => [e.action, e.requestId])).toEqual([
      ['item.updated', `${t}-update`],
      ['item.created', `${t}-create`],
    ]);
  });

  it('Should import CSV rows in a job, reporting the rejected row by line and field', async () => {
    const t = tag();
    const csv = `title,status,tags\nImported ${t} a,done,${t}\n,pending,${t}\nImported ${t} b,,${t}\n`;
    const res = await send('/api/v1/items/import', {
      method: 'POST',
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(202);
    const job = await waitForJob(res.headers.get('location') as string);
    expect(job).toMatchObject({ type: 'process-data', status: 'succeeded', result: { inserted: 2, rejectedCount: 1 } });
    expect(job.result.rejected).toEqual([
      { line: 3, errors: [{ field: 'title', message: expect.any(String), value: '' }] },
    ]);
    const imported = await (await send(`/api/v1/items?tag=${t}`)).json();
    expect(imported.data.map((i: { title: string }) => i.title).sort()).toEqual([`Imported ${t} a`, `Imported ${t} b`]);
  });

  it('Should generate a CSV report of a filter in a job and serve it as a download', async () => {
    const t = tag();
    await create({ title: `Reported ${t}`, tags: [t] });
    const res = await send('/api/v1/reports', { method: 'POST', json: { format: 'csv', filter: { tag: t } } });
    expect(res.status).toBe(202);
    const job = await waitForJob(res.headers.get('location') as string);
    expect(job).toMatchObject({ status: 'succeeded', result: { rowCount: 1 } });
    const file = await send(`/api/v1/reports/${job.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="items-.+\.csv"$/);
    expect(await file.text()).toContain(`Reported ${t}`);
  });

  it('Should cancel a queued job once, answer 409 the second time, and list it as cancelled', async () => {
    const runAt = new Date(Date.now() + HOUR_MS).toISOString();
    const queued = await send('/api/v1/jobs', { method: 'POST', json: { type: 'cleanup', runAt } });
    expect(queued.status).toBe(202);
    const { id } = await queued.json();
    const cancel = await send(`/api/v1/jobs/${id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect((await cancel.json()).status).toBe('cancelled');
    const again = await send(`/api/v1/jobs/${id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'conflict', currentStatus: 'cancelled' });
    const cancelled = await (await send('/api/v1/jobs?type=cleanup&status=cancelled&limit=100')).json();
    expect(cancelled.data.map((j: { id: string }) => j.id)).toContain(id);
  });

  it('Should refuse a body over the size limit with a 413 problem, create nothing, and keep serving', async () => {
    const title = `Too large ${tag()}`;
    // Over the default MAX_BODY_BYTES (1 MiB).
    const body = JSON.stringify({ title, description: 'x'.repeat(1_100_000) });
    // Repeated: a connection left half-read by a refusal must not fail the client's next request.
    for (let i = 0; i < 3; i++) {
      const res = await send('/api/v1/items', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
      expect((await send('/health/live')).status).toBe(200);
    }
    const found = await (await send(`/api/v1/items?q=${encodeURIComponent(title)}`)).json();
    expect(found.data).toHaveLength(0);
  });
}
