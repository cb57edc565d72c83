import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/items.ts';
import { auditLogs, users } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`items: create and read [${backend.label}]`, () => {
  const t = useTestApp();

  const create = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.request('/api/v1/items', { method: 'POST', json: body, headers });
    return { res, item: (await res.json()) as Item };
  };

  it('Should create an item with defaults, a Location and an ETag', async () => {
    const title = unique('create');
    const { res, item } = await create({ title, tags: ['a', 'a', 'b'] });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/items/${item.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(item).toMatchObject({ title, status: 'pending', priority: 'medium', tags: ['a', 'b'], version: 1 });
    expect(item.description).toBeNull();
    expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
  });

  it('Should trim the title and keep a due date with its instant', async () => {
    const { item } = await create({ title: `  ${unique('trim')}  `, dueAt: '2030-01-02T03:04:05.678+02:00' });
    expect(item.title).not.toMatch(/^\s|\s$/);
    expect(item.dueAt).toBe('2030-01-02T01:04:05.678Z');
  });

  it('Should reject an empty title with 422 problem+json naming title, and store nothing', async () => {
    const marker = unique('empty');
    const res = await t.request('/api/v1/items', { method: 'POST', json: { title: '   ', description: marker } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'title', in: 'body' }));
    const list = await (await t.request(`/api/v1/items?q=${marker}`)).json();
    expect(list.data).toHaveLength(0);
  });

  it('Should name every invalid field at once', async () => {
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: 'x'.repeat(201), status: 'nope', tags: [''], dueAt: 'tomorrow', extra: 1 },
    });
    expect(res.status).toBe(422);
    const problem = await res.json();
    const fields = problem.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'status', 'tags.0', 'dueAt', 'extra']));
    expect(problem.errors).toContainEqual({ field: 'extra', in: 'body', message: 'Unknown field' });
    expect(problem.detail).toMatch(/^Invalid .*\bextra\b.*\.$/);
  });

  it('Should name each unknown field, __proto__ included, and store nothing', async () => {
    const marker = unique('unknown');
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"title":"${marker}","__proto__":{"role":"admin"},"owner":"x"}`,
    });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors).toEqual([
      { field: '__proto__', in: 'body', message: 'Unknown field' },
      { field: 'owner', in: 'body', message: 'Unknown field' },
    ]);
    expect(problem.detail).toBe('Invalid __proto__, owner.');
    const list = await (await t.request(`/api/v1/items?q=${marker}`)).json();
    expect(list.data).toHaveLength(0);
  });

  it('Should refuse a due date Postgres cannot store (year 0, or past 9999 in UTC) with 422 naming dueAt', async () => {
    const marker = unique('year');
    for (const dueAt of ['0000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '9999-12-31T23:59:59.999-00:01']) {
      const res = await t.request('/api/v1/items', { method: 'POST', json: { title: marker, dueAt } });
      expect(res.status, dueAt).toBe(422);
      expect((await res.json()).errors).toEqual([expect.objectContaining({ field: 'dueAt', in: 'body' })]);
    }
    const list = await (await t.request(`/api/v1/items?q=${marker}`)).json();
    expect(list.data).toHaveLength(0);
    const { item } = await create({ title: marker, dueAt: '0001-01-01T00:00:00Z' });
    expect(item.dueAt).toBe('0001-01-01T00:00:00.000Z');
  });

  it('Should reject an unknown owner as a field error, not a server error', async () => {
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: unique('owner'), ownerId: crypto.randomUUID() },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe('ownerId');
  });

  it('Should record item.created in the audit log with the actor and request id', async () => {
    const requestId = unique('req');
    const { item } = await create({ title: unique('audited') }, { 'x-request-id': requestId });
    const rows = await t.handle.db.select().from(auditLogs).where(eq(auditLogs.entityId, item.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'item.created',
      entityType: 'item',
      actorType: 'user',
      requestId,
      before: null,
    });
    expect(rows[0]?.after).toMatchObject({ id: item.id, title: item.title, version: 1 });
  });

  it('Should return an item with its ETag, and 304 for If-None-Match with that ETag', async () => {
    const { item } = await create({ title: unique('etag') });
    const res = await t.request(`/api/v1/items/${item.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(item);
    const etag = res.headers.get('etag') as string;
    const cached = await t.request(`/api/v1/items/${item.id}`, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.text()).toBe('');
    const stale = await t.request(`/api/v1/items/${item.id}`, { headers: { 'if-none-match': '"999"' } });
    expect(stale.status).toBe(200);
  });

  it('Should answer 404 problem+json for an unknown id and 422 for a malformed one', async () => {
    const missing = await t.request(`/api/v1/items/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('not_found');
    const malformed = await t.request('/api/v1/items/not-a-uuid');
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).errors[0]).toMatchObject({ field: 'id', in: 'path' });
  });

  it('Should make the signed-in user the owner when the body names none, and keep an explicit null', async () => {
    const me = (await (await t.request('/api/v1/auth/me', { as: 'editor' })).json()) as { id: string };
    const mine = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('mine') }, as: 'editor' });
    expect(mine.status).toBe(201);
    expect(((await mine.json()) as Item).ownerId).toBe(me.id);
    const nobody = await create({ title: unique('unowned'), ownerId: null });
    expect(nobody.item.ownerId).toBeNull();
  });

  it('Should leave an item made with an API key without an owner unless the body names one', async () => {
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: unique('by-key') },
      as: 'editor-key',
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Item).ownerId).toBeNull();
  });

  it('Should accept an existing owner', async () => {
    const [owner] = await t.handle.db
      .insert(users)
      .values({ email: `${unique('u')}@example.test`, name: 'Owner' })
      .returning();
    const { res, item } = await create({ title: unique('owned'), ownerId: owner?.id });
    expect(res.status).toBe(201);
    expect(item.ownerId).toBe(owner?.id);
  });
});
