import { describe, expect, it } from 'vitest';
import type { Item } from '../../../core/items.ts';
import { cacheKey } from '../../../core/kv/cache.ts';
import { createMemoryStore } from '../../../db/kv/memory.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';
import { unreachableStore } from '../../../test/support/unreachable-store.ts';
import { itemCacheKey } from './items.cache.ts';

describe.skipIf(backend.skip)(`items: read cache [${backend.label}]`, () => {
  // Two replicas of the app over one database and one store, as behind a load balancer.
  const store = createMemoryStore({ keyPrefix: 'items-cache:' });
  const t = useTestApp({ kv: store });
  const replica = useTestApp({ kv: store });

  const create = async () =>
    (await (await t.request('/api/v1/items', { method: 'POST', json: { title: unique('cached') } })).json()) as Item;
  /** The cached entry of an item as the store holds it, or null. */
  const cached = async (id: string) => {
    const raw = await t.deps.kv.get(cacheKey(itemCacheKey(id)));
    return raw === null ? null : (JSON.parse(raw) as { g: string | null; v: Item });
  };

  it('Should keep a read in the store and serve the next read from there', async () => {
    const item = await create();
    expect(await cached(item.id)).toBeNull();
    const first = await t.request(`/api/v1/items/${item.id}`);
    expect(await first.json()).toEqual(item);
    const entry = await cached(item.id);
    expect(entry?.v).toEqual(item);

    // Only a read served from the store can return what the store alone holds.
    const marked = { ...entry, v: { ...item, title: 'only in the cache' } };
    await t.deps.kv.set(cacheKey(itemCacheKey(item.id)), JSON.stringify(marked), 60);
    const second = await t.request(`/api/v1/items/${item.id}`);
    expect(second.status).toBe(200);
    expect((await second.json()).title).toBe('only in the cache');
    expect(second.headers.get('etag')).toBe('"1"');
  });

  it('Should answer a read after a PATCH with the new version: the write drops the cached copy', async () => {
    const item = await create();
    await t.request(`/api/v1/items/${item.id}`);
    expect((await cached(item.id))?.v.version).toBe(1);

    const patched = await t.request(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      json: { title: 'renamed' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(await cached(item.id)).toBeNull();

    const read = await t.request(`/api/v1/items/${item.id}`);
    expect(read.headers.get('etag')).toBe('"2"');
    expect(await read.json()).toMatchObject({ title: 'renamed', version: 2 });
    expect((await cached(item.id))?.v.version).toBe(2);
    // A client holding version 1 is told it changed.
    expect((await t.request(`/api/v1/items/${item.id}`, { headers: { 'if-none-match': '"1"' } })).status).toBe(200);
  });

  it('Should answer 404 after a DELETE of a cached item', async () => {
    const item = await create();
    await t.request(`/api/v1/items/${item.id}`);
    expect((await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/items/${item.id}`)).status).toBe(404);
    expect(await cached(item.id)).toBeNull();
  });

  it('Should show a write made on another replica sharing the store', async () => {
    const item = await create();
    await t.request(`/api/v1/items/${item.id}`);
    const patched = await replica.request(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      json: { status: 'done' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(await (await t.request(`/api/v1/items/${item.id}`)).json()).toMatchObject({ status: 'done', version: 2 });
  });
});

describe.skipIf(backend.skip)(`items: cache store down [${backend.label}]`, () => {
  const store = unreachableStore();
  const t = useTestApp({ kv: store });

  it('Should still read, update and delete from the database', async () => {
    const created = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('uncached') } });
    expect(created.status).toBe(201);
    const item = (await created.json()) as Item;
    expect(await (await t.request(`/api/v1/items/${item.id}`)).json()).toEqual(item);
    const patched = await t.request(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      json: { title: 'still works' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect((await (await t.request(`/api/v1/items/${item.id}`)).json()).title).toBe('still works');
    expect((await t.request(`/api/v1/items/${item.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/items/${item.id}`)).status).toBe(404);
    expect(store.calls).toBeGreaterThan(0);
  });
});
