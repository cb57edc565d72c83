import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../../core/queue/job-queue.ts';
import { auditLogs, type JobRow, jobs, webhooks } from '../../../db/schema.ts';
import { failInserts } from '../../../test/support/fail-inserts.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`items: webhook notifications queued with the change [${backend.label}]`, () => {
  let flushes = 0;
  const queue: JobQueue = {
    kind: 'dispatcher',
    async flush() {
      flushes++;
    },
  };
  // Isolated: subscriptions here must see only this file's item changes, and theirs only.
  const t = useTestApp({ queue }, { isolated: true });
  const subscribed: string[] = [];
  afterEach(async () => {
    if (!subscribed.length) return;
    await t.handle.db
      .update(jobs)
      .set({ status: 'cancelled' })
      .where(and(inArray(sql`${jobs.payload}->>'webhookId'`, subscribed), eq(jobs.status, 'queued')));
    await t.handle.db.delete(webhooks).where(inArray(webhooks.id, subscribed.splice(0)));
  });

  const subscribe = async (events: string[], active = true) => {
    const res = await t.request('/api/v1/webhooks', {
      method: 'POST',
      json: { url: `https://example.com/${unique('hook')}`, events, active },
    });
    const { id } = await res.json();
    subscribed.push(id);
    return id as string;
  };
  /** The four kinds of subscriber: created+updated, deleted only, updated only, and an inactive one to everything. */
  const subscribers = async () => ({
    createdUpdated: await subscribe(['item.created', 'item.updated']),
    deleted: await subscribe(['item.deleted']),
    updated: await subscribe(['item.updated']),
    inactive: await subscribe(['item.created', 'item.updated', 'item.deleted'], false),
  });
  const send = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const requestId = unique('req');
    const headers = { ...(init.headers as Record<string, string>), 'x-request-id': requestId };
    return { requestId, response: t.request(path, { ...init, headers }) };
  };
  const queuedFor = (requestId: string) => t.handle.db.select().from(jobs).where(eq(jobs.requestId, requestId));
  const webhookIds = (rows: JobRow[]) => rows.map((j) => (j.payload as { webhookId: string }).webhookId).sort();
  const createItem = async () => {
    const { response } = send('/api/v1/items', { method: 'POST', json: { title: unique('item') } });
    return (await response).json();
  };

  it('Should queue one delivery per active subscriber of item.created, in the shape the job expects', async () => {
    const hooks = await subscribers();
    const { requestId, response } = send('/api/v1/items', { method: 'POST', json: { title: unique('item') } });
    const item = await (await response).json();
    const queued = await queuedFor(requestId);
    expect(webhookIds(queued)).toEqual([hooks.createdUpdated]);
    expect(queued[0]).toMatchObject({
      type: 'send-notification',
      status: 'queued',
      maxAttempts: 8,
      createdBy: expect.stringMatching(/^user:/),
      payload: {
        webhookId: hooks.createdUpdated,
        event: 'item.created',
        data: { id: item.id, title: item.title, version: 1, status: 'pending', deletedAt: null },
      },
    });
  });

  it('Should queue item.updated for its subscribers with the row after the change', async () => {
    const hooks = await subscribers();
    const item = await createItem();
    const { requestId, response } = send(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      json: { title: 'renamed', version: 1 },
    });
    expect((await response).status).toBe(200);
    const queued = await queuedFor(requestId);
    expect(webhookIds(queued)).toEqual([hooks.createdUpdated, hooks.updated].sort());
    for (const job of queued) {
      expect(job.payload).toMatchObject({ event: 'item.updated', data: { id: item.id, title: 'renamed', version: 2 } });
    }
  });

  it('Should queue item.deleted for its subscribers with the deleted row', async () => {
    const hooks = await subscribers();
    const item = await createItem();
    const { requestId, response } = send(`/api/v1/items/${item.id}`, { method: 'DELETE' });
    expect((await response).status).toBe(204);
    const queued = await queuedFor(requestId);
    expect(webhookIds(queued)).toEqual([hooks.deleted]);
    expect(queued[0]?.payload).toMatchObject({
      event: 'item.deleted',
      data: { id: item.id, version: 2, deletedAt: expect.any(String) },
    });
  });

  it('Should queue nothing for a change that does not happen', async () => {
    await subscribers();
    const item = await createItem();
    const stale = send(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      json: { title: 'x' },
      headers: { 'if-match': '"9"' },
    });
    expect((await stale.response).status).toBe(412);
    const missing = send(`/api/v1/items/${crypto.randomUUID()}`, { method: 'DELETE' });
    expect((await missing.response).status).toBe(404);
    expect(await queuedFor(stale.requestId)).toHaveLength(0);
    expect(await queuedFor(missing.requestId)).toHaveLength(0);
  });

  it('Should queue no delivery when the change fails with its audit row (one statement)', async () => {
    await subscribers();
    const item = await createItem();
    const changes = [
      { path: '/api/v1/items', init: { method: 'POST', json: { title: unique('never') } } },
      { path: `/api/v1/items/${item.id}`, init: { method: 'PATCH', json: { title: 'never', version: 1 } } },
      { path: `/api/v1/items/${item.id}`, init: { method: 'DELETE' } },
    ];
    for (const { path, init } of changes) {
      const requestId = unique('failaudit');
      const restore = await failInserts(t.handle, 'audit_logs', requestId);
      try {
        const res = await t.request(path, { ...init, headers: { 'x-request-id': requestId } });
        expect(res.status).toBe(500);
      } finally {
        await restore();
      }
      expect(await queuedFor(requestId)).toHaveLength(0);
    }
    expect(await (await t.request(`/api/v1/items/${item.id}`)).json()).toEqual(item);
  });

  it('Should not keep a change, nor its audit row, whose notification fails to queue', async () => {
    await subscribers();
    const item = await createItem();
    const requestId = unique('failjobs');
    const restore = await failInserts(t.handle, 'jobs', requestId);
    try {
      const res = await t.request(`/api/v1/items/${item.id}`, {
        method: 'PATCH',
        json: { title: 'never', version: 1 },
        headers: { 'x-request-id': requestId },
      });
      expect(res.status).toBe(500);
    } finally {
      await restore();
    }
    expect(await (await t.request(`/api/v1/items/${item.id}`)).json()).toEqual(item);
    const audits = await t.handle.db.select().from(auditLogs).where(eq(auditLogs.requestId, requestId));
    expect(audits).toHaveLength(0);
  });

  const createUpdateDelete = async () => {
    const start = flushes;
    const item = await createItem();
    await t.request(`/api/v1/items/${item.id}`, { method: 'PATCH', json: { title: 'y', version: 1 } });
    await t.request(`/api/v1/items/${item.id}`, { method: 'PATCH', json: { title: 'z', version: 1 } }); // 412
    await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE' });
    return flushes - start;
  };

  it('Should flush the queue after each change that queued a delivery, and not after a refused one', async () => {
    await subscribe(['item.created', 'item.updated', 'item.deleted']);
    expect(await createUpdateDelete()).toBe(3);
  });

  it('Should not wake the queue for changes no webhook subscribes to', async () => {
    await subscribe(['item.deleted'], false);
    expect(await createUpdateDelete()).toBe(0);
  });
});
