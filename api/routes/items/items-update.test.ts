import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/items.ts';
import { auditLogs, items } from '../../../db/schema.ts';
import { failInserts } from '../../../test/support/fail-inserts.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`items: update, delete, concurrency, audit atomicity [${backend.label}]`, () => {
  const t = useTestApp();

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('item'), ...body } });
    return (await res.json()) as Item;
  };
  const patch = (id: string, json: unknown, headers: Record<string, string> = {}) =>
    t.request(`/api/v1/items/${id}`, { method: 'PATCH', json, headers });
  const read = async (id: string) => (await (await t.request(`/api/v1/items/${id}`)).json()) as Item;

  const failAuditFor = (requestId: string) => failInserts(t.handle, 'audit_logs', requestId);

  it('Should update with a matching If-Match, bump the version and return the new ETag', async () => {
    const item = await create({ tags: ['x'] });
    const res = await patch(item.id, { status: 'in_progress', tags: ['x', 'y'] }, { 'if-match': '"1"' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    const updated = (await res.json()) as Item;
    expect(updated).toMatchObject({ status: 'in_progress', tags: ['x', 'y'], version: 2, title: item.title });
    expect(updated.updatedAt >= item.updatedAt).toBe(true);
    expect(await read(item.id)).toEqual(updated);
  });

  it('Should accept the version in the body instead of If-Match', async () => {
    const item = await create();
    const res = await patch(item.id, { priority: 'urgent', version: 1 });
    expect(res.status).toBe(200);
    expect((await res.json()).version).toBe(2);
  });

  it('Should answer 412 for a stale If-Match and change nothing', async () => {
    const item = await create();
    expect((await patch(item.id, { title: 'first writer' }, { 'if-match': '"1"' })).status).toBe(200);
    const stale = await patch(item.id, { title: 'second writer' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(await stale.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 2 });
    expect(await read(item.id)).toMatchObject({ title: 'first writer', version: 2 });
    const audits = await t.handle.db.select().from(auditLogs).where(eq(auditLogs.entityId, item.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['item.created', 'item.updated']);
  });

  it('Should let exactly one of two concurrent writers of the same version win', async () => {
    const item = await create();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((w) => patch(item.id, { title: `writer ${w}` }, { 'if-match': '"1"' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    expect((await read(item.id)).version).toBe(2);
  });

  it('Should answer 428 without If-Match or version, and 400 for a malformed or contradicting one', async () => {
    const item = await create();
    const missing = await patch(item.id, { title: 'x' });
    expect(missing.status).toBe(428);
    expect((await missing.json()).code).toBe('precondition_required');
    for (const malformed of ['1', '"1', 'W/1', '"1" "2"', 'W/"1",,x']) {
      const res = await patch(item.id, { title: 'x' }, { 'if-match': malformed });
      expect(res.status, malformed).toBe(400);
      expect((await res.json()).errors[0]).toMatchObject({ field: 'if-match', in: 'header' });
    }
    const contradicting = await patch(item.id, { title: 'x', version: 2 }, { 'if-match': '"1"' });
    expect(contradicting.status).toBe(400);
    expect((await contradicting.json()).errors[0].field).toBe('version');
    expect((await read(item.id)).version).toBe(1);
  });

  it('Should reject an empty or invalid patch by field and keep the item', async () => {
    const item = await create();
    expect((await patch(item.id, { version: 1 })).status).toBe(422);
    const bad = await patch(item.id, { title: '', status: 'later', version: 1 });
    expect(bad.status).toBe(422);
    const fields = (await bad.json()).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'status']));
    expect(await read(item.id)).toEqual(item);
  });

  it('Should 404 a patch of an unknown or deleted item', async () => {
    expect((await patch(crypto.randomUUID(), { title: 'x', version: 1 })).status).toBe(404);
    const item = await create();
    await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE' });
    expect((await patch(item.id, { title: 'x', version: 2 })).status).toBe(404);
  });

  it('Should record before and after of an update in the audit log', async () => {
    const requestId = unique('req');
    const item = await create({ title: 'before title' });
    await patch(item.id, { title: 'after title' }, { 'if-match': '"1"', 'x-request-id': requestId });
    const [row] = await t.handle.db.select().from(auditLogs).where(eq(auditLogs.requestId, requestId));
    expect(row).toMatchObject({ action: 'item.updated', entityId: item.id });
    expect(row?.before).toMatchObject({ title: 'before title', version: 1 });
    expect(row?.after).toMatchObject({ title: 'after title', version: 2 });
  });

  it('Should soft-delete: 204, then 404, the row kept with deleted_at, and item.deleted audited', async () => {
    const item = await create();
    const res = await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await t.request(`/api/v1/items/${item.id}`)).status).toBe(404);
    expect((await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE' })).status).toBe(404);
    const [row] = await t.handle.db.select().from(items).where(eq(items.id, item.id));
    expect(row?.deletedAt).toBeInstanceOf(Date);
    const audits = await t.handle.db.select().from(auditLogs).where(eq(auditLogs.entityId, item.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['item.created', 'item.deleted']);
  });

  it('Should answer 412 with the current ETag for any well-formed list that does not match by strong comparison', async () => {
    const item = await create();
    for (const tags of ['"stale-0"', 'W/"1"', '"999", "998"', ' , "7" ,']) {
      const res = await patch(item.id, { title: `not applied ${tags}` }, { 'if-match': tags });
      expect(res.status, tags).toBe(412);
      expect(res.headers.get('etag')).toBe('"1"');
      expect((await res.json()).currentVersion).toBe(1);
    }
    const unchanged = await t.request(`/api/v1/items/${item.id}`);
    expect((await unchanged.json()).version).toBe(1);
    // A list that names the current version, and `*`, match.
    const listed = await patch(item.id, { title: 'in a list' }, { 'if-match': '"5", W/"1", "1"' });
    expect(listed.status).toBe(200);
    const any = await patch(item.id, { title: 'any version' }, { 'if-match': '*' });
    expect(any.status).toBe(200);
    expect(any.headers.get('etag')).toBe('"3"');
    // `*` needs the item to exist.
    const missing = await patch(crypto.randomUUID(), { title: 'x' }, { 'if-match': '*' });
    expect(missing.status).toBe(404);
  });

  it('Should honour If-Match on delete', async () => {
    const item = await create();
    const stale = await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE', headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    expect((await read(item.id)).id).toBe(item.id);
    const ok = await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE', headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(204);
  });

  it('Should follow RFC 9110 on delete too: 412 for a non-matching list, 400 only when malformed, * for any version', async () => {
    const item = await create();
    const remove = (ifMatch: string) =>
      t.request(`/api/v1/items/${item.id}`, { method: 'DELETE', headers: { 'if-match': ifMatch } });
    for (const tags of ['"stale-0"', 'W/"1"', '"999", "998"']) expect((await remove(tags)).status, tags).toBe(412);
    expect((await remove('not a tag')).status).toBe(400);
    expect((await read(item.id)).id).toBe(item.id);
    expect((await remove('*')).status).toBe(204);
  });

  it('Should not keep an update whose audit row fails to insert', async () => {
    const item = await create({ title: 'unchanged' });
    const requestId = unique('failaudit');
    const restore = await failAuditFor(requestId);
    try {
      const res = await patch(item.id, { title: 'changed' }, { 'if-match': '"1"', 'x-request-id': requestId });
      expect(res.status).toBe(500);
      const problem = await res.json();
      expect(problem).toMatchObject({ code: 'internal_error', requestId });
      expect(JSON.stringify(problem)).not.toMatch(/audit store|insert|select/i);
    } finally {
      await restore();
    }
    expect(await read(item.id)).toEqual(item);
  });

  it('Should not keep a created item whose audit row fails to insert', async () => {
    const title = unique('never-created');
    const requestId = unique('failaudit');
    const restore = await failAuditFor(requestId);
    try {
      const res = await t.request('/api/v1/items', {
        method: 'POST',
        json: { title },
        headers: { 'x-request-id': requestId },
      });
      expect(res.status).toBe(500);
    } finally {
      await restore();
    }
    const rows = await t.handle.db.select().from(items).where(eq(items.title, title));
    expect(rows).toHaveLength(0);
  });

  it('Should not keep a deletion whose audit row fails to insert', async () => {
    const item = await create();
    const requestId = unique('failaudit');
    const restore = await failAuditFor(requestId);
    try {
      const res = await t.request(`/api/v1/items/${item.id}`, {
        method: 'DELETE',
        headers: { 'x-request-id': requestId },
      });
      expect(res.status).toBe(500);
    } finally {
      await restore();
    }
    const [row] = await t.handle.db
      .select({ deletedAt: items.deletedAt, version: items.version })
      .from(items)
      .where(eq(items.id, item.id));
    expect(row).toEqual({ deletedAt: null, version: 1 });
    const [count] = await t.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLogs)
      .where(eq(auditLogs.requestId, requestId));
    expect(count?.n).toBe(0);
  });
});
