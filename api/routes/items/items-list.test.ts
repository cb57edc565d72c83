import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/items.ts';
import { items } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';
import { encodeCursor } from '../../lib/cursor.ts';

describe.skipIf(backend.skip)(`items: list, filter, search, sort [${backend.label}]`, () => {
  const t = useTestApp();

  const create = async (body: Record<string, unknown>) => {
    const res = await t.request('/api/v1/items', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    return (await res.json()) as Item;
  };
  const list = async (query: string) => {
    const res = await t.request(`/api/v1/items?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { data: Item[]; nextCursor: string | null };
  };
  /**
   * The list's default order: newest first by creation time (kept to the millisecond),
   * items created in the same millisecond by id, descending. Uuids compare as their
   * lowercase text does.
   */
  const newestFirst = (created: Item[]) =>
    [...created]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((i) => i.id);
  /** Follows cursors to the end, returning every page. */
  const allPages = async (query: string) => {
    const pages: Item[][] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Item[]; nextCursor: string | null } = await list(
        cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query,
      );
      pages.push(page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return pages;
  };

  it('Should page through every item exactly once, newest first', async () => {
    const tag = unique('page');
    const created: Item[] = [];
    for (let i = 0; i < 7; i++) created.push(await create({ title: `${tag} ${i}`, tags: [tag] }));
    const pages = await allPages(`tag=${tag}&limit=3`);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((i) => i.id)).toEqual(newestFirst(created));
  });

  it('Should page through items created in the same millisecond exactly once, by id, filtered or not', async () => {
    const tag = unique('tied');
    const created: Item[] = [];
    for (let i = 0; i < 5; i++) created.push(await create({ title: `${tag} ${i}`, tags: [tag] }));
    // A millisecond of its own, long past, so no other row shares it.
    const at = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e10));
    await t.handle.db
      .update(items)
      .set({ createdAt: at })
      .where(
        inArray(
          items.id,
          created.map((i) => i.id),
        ),
      );
    const expected = newestFirst(created.map((i) => ({ ...i, createdAt: at.toISOString() })));

    const filtered = await allPages(`tag=${tag}&limit=2`);
    expect(filtered.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(filtered.flat().map((i) => i.id)).toEqual(expected);

    // Without filters, starting just after the next millisecond: the statement built once per sort.
    let cursor: string | null = encodeCursor('-created', {
      value: new Date(at.getTime() + 1).toISOString(),
      id: '00000000-0000-4000-8000-000000000000',
    });
    const unfiltered: string[] = [];
    while (unfiltered.length < expected.length && cursor) {
      const page = await list(`limit=2&cursor=${encodeURIComponent(cursor)}`);
      unfiltered.push(...page.data.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(unfiltered.slice(0, expected.length)).toEqual(expected);
  });

  it('Should count every matching item on each page when asked for the total, and only then', async () => {
    const tag = unique('total');
    for (let i = 0; i < 5; i++) await create({ title: `${tag} ${i}`, tags: [tag], status: i < 3 ? 'done' : 'pending' });
    const first = (await list(`tag=${tag}&limit=2&total=true`)) as { total?: number; nextCursor: string | null };
    expect(first.total).toBe(5);
    const second = (await list(
      `tag=${tag}&limit=2&total=true&cursor=${encodeURIComponent(first.nextCursor as string)}`,
    )) as { total?: number };
    expect(second.total).toBe(5);
    expect(((await list(`tag=${tag}&status=done&total=true`)) as { total?: number }).total).toBe(3);
    expect(await list(`tag=${tag}`)).not.toHaveProperty('total');
    expect(await list(`tag=${tag}&total=false`)).not.toHaveProperty('total');
  });

  it('Should keep later pages stable when items are inserted between requests', async () => {
    const tag = unique('stable');
    const created: Item[] = [];
    for (let i = 0; i < 6; i++) created.push(await create({ title: `${tag} ${i}`, tags: [tag] }));
    const first = await list(`tag=${tag}&limit=3`);
    await create({ title: `${tag} late`, tags: [tag] });
    const second = await list(`tag=${tag}&limit=3&cursor=${encodeURIComponent(first.nextCursor as string)}`);
    expect([...first.data, ...second.data].map((i) => i.id)).toEqual(newestFirst(created));
    expect(second.nextCursor).toBeNull();
  });

  it('Should filter by status, priority, owner and tag, alone and combined', async () => {
    const tag = unique('filter');
    await create({ title: `${tag} a`, tags: [tag], status: 'done', priority: 'high' });
    await create({ title: `${tag} b`, tags: [tag], status: 'done', priority: 'low' });
    await create({ title: `${tag} c`, tags: [tag], status: 'pending', priority: 'high' });
    const titles = async (q: string) => (await list(`tag=${tag}&${q}`)).data.map((i) => i.title).sort();
    expect(await titles('status=done')).toEqual([`${tag} a`, `${tag} b`]);
    expect(await titles('priority=high')).toEqual([`${tag} a`, `${tag} c`]);
    expect(await titles('status=done&priority=high')).toEqual([`${tag} a`]);
    expect(await titles('status=done,pending&priority=low')).toEqual([`${tag} b`]);
    expect(await titles(`owner=${crypto.randomUUID()}`)).toEqual([]);
  });

  it('Should search title and description case-insensitively, treating % and _ literally', async () => {
    const word = unique('needle').toUpperCase();
    await create({ title: `Find the ${word} here` });
    await create({ title: unique('other'), description: `description mentions ${word.toLowerCase()}` });
    await create({ title: unique('decoy'), description: 'nothing to see' });
    expect((await list(`q=${word.toLowerCase()}`)).data).toHaveLength(2);
    expect((await list(`q=${encodeURIComponent(`${word}%`)}`)).data).toHaveLength(0);
    expect((await list(`q=${encodeURIComponent(`${word.slice(0, 3)}_`)}`)).data).toHaveLength(0);
  });

  it('Should sort by priority and by due date (undated last), paging without gaps', async () => {
    const tag = unique('sort');
    const priorities = ['low', 'urgent', 'medium', 'high', 'urgent', 'low'];
    for (const [i, priority] of priorities.entries()) {
      await create({
        title: `${tag} ${i}`,
        tags: [tag],
        priority,
        dueAt: i % 3 === 0 ? null : new Date(Date.UTC(2031, 0, 10 - i)).toISOString(),
      });
    }
    const byPriority = (await allPages(`tag=${tag}&sort=-priority&limit=2`)).flat();
    expect(byPriority.map((i) => i.priority)).toEqual(['urgent', 'urgent', 'high', 'medium', 'low', 'low']);
    const byDue = (await allPages(`tag=${tag}&sort=due&limit=4`)).flat();
    expect(byDue).toHaveLength(6);
    const dues = byDue.map((i) => i.dueAt);
    expect(dues.slice(0, 4).every(Boolean)).toBe(true);
    expect(dues.slice(4)).toEqual([null, null]);
    expect([...dues.slice(0, 4)].sort()).toEqual(dues.slice(0, 4));
  });

  it('Should sort ascending by creation and by update time', async () => {
    const tag = unique('asc');
    const a = await create({ title: `${tag} a`, tags: [tag] });
    const b = await create({ title: `${tag} b`, tags: [tag] });
    expect((await list(`tag=${tag}&sort=created`)).data.map((i) => i.id)).toEqual([a.id, b.id]);
    await t.request(`/api/v1/items/${a.id}`, { method: 'PATCH', json: { title: `${tag} a2`, version: 1 } });
    expect((await list(`tag=${tag}&sort=-updated`)).data.map((i) => i.id)).toEqual([a.id, b.id]);
  });

  it('Should bound limit and reject bad query parameters by name', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['status=finished', 'status'],
      ['sort=title', 'sort'],
      ['owner=bob', 'owner'],
    ]) {
      const res = await t.request(`/api/v1/items?${query}`);
      expect(res.status, query).toBe(422);
      expect((await res.json()).errors[0], query).toMatchObject({ field, in: 'query' });
    }
  });

  it('Should reject a forged cursor and a cursor from another sort with 400', async () => {
    const tag = unique('cursor');
    await create({ title: `${tag} 1`, tags: [tag] });
    await create({ title: `${tag} 2`, tags: [tag] });
    const { nextCursor } = await list(`tag=${tag}&limit=1`);
    const forged = await t.request('/api/v1/items?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect((await forged.json()).errors[0].field).toBe('cursor');
    const otherSort = await t.request(`/api/v1/items?sort=priority&cursor=${nextCursor}`);
    expect(otherSort.status).toBe(400);
  });

  it('Should not list deleted items', async () => {
    const tag = unique('deleted');
    const keep = await create({ title: `${tag} keep`, tags: [tag] });
    const gone = await create({ title: `${tag} gone`, tags: [tag] });
    expect((await t.request(`/api/v1/items/${gone.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await list(`tag=${tag}`)).data.map((i) => i.id)).toEqual([keep.id]);
  });
});
