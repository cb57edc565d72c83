import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../db/kv/memory.ts';
import { unreachableStore } from '../../test/support/unreachable-store.ts';
import { createLogger } from '../logger.ts';
import { cacheKey, createJsonCache } from './cache.ts';

const quiet = createLogger({ level: 'silent' });

/** A loader that counts its calls and returns whatever `value` is when it runs. */
function source<T>(value: T) {
  const s = {
    value,
    calls: 0,
    load: async () => {
      s.calls += 1;
      return s.value;
    },
  };
  return s;
}

describe('JSON cache', () => {
  it('Should serve a remembered value from the store until it is invalidated, then load it again', async () => {
    const store = createMemoryStore({ keyPrefix: 'c:' });
    const cache = createJsonCache(store, quiet);
    const db = source({ id: 1, title: 'first' });

    expect(await cache.remember('thing:1', 60, db.load)).toEqual({ id: 1, title: 'first' });
    expect(await store.get(cacheKey('thing:1'))).toContain('"first"');
    db.value = { id: 1, title: 'second' };
    expect(await cache.remember('thing:1', 60, db.load)).toEqual({ id: 1, title: 'first' });
    expect(db.calls).toBe(1);

    await cache.invalidate('thing:1');
    expect(await store.get(cacheKey('thing:1'))).toBeNull();
    expect(await cache.remember('thing:1', 60, db.load)).toEqual({ id: 1, title: 'second' });
    expect(db.calls).toBe(2);
  });

  it('Should not keep a copy loaded before a write that is stored after the write invalidated it', async () => {
    const store = createMemoryStore({ keyPrefix: 'c:' });
    const cache = createJsonCache(store, quiet);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The slow reader reads the old row, then the write commits and invalidates, then the reader stores.
    const slowRead = cache.remember('thing:1', 60, async () => {
      await gate;
      return 'old';
    });
    await Promise.resolve();
    await cache.invalidate('thing:1');
    release();
    expect(await slowRead).toBe('old');
    expect(await store.get(cacheKey('thing:1'))).not.toBeNull();

    const db = source('new');
    expect(await cache.remember('thing:1', 60, db.load)).toBe('new');
    expect(db.calls).toBe(1);
  });

  it('Should see an invalidation made by another replica over the same store', async () => {
    const store = createMemoryStore({ keyPrefix: 'c:' });
    const [replicaA, replicaB] = [createJsonCache(store, quiet), createJsonCache(store, quiet)];
    const db = source('v1');
    await replicaA.remember('thing:1', 60, db.load);
    db.value = 'v2';
    await replicaB.invalidate('thing:1');
    expect(await replicaA.remember('thing:1', 60, db.load)).toBe('v2');
  });

  it('Should never cache a miss, nor anything with a TTL of 0', async () => {
    const store = createMemoryStore({ keyPrefix: 'c:' });
    const cache = createJsonCache(store, quiet);
    expect(await cache.remember('thing:404', 60, async () => undefined)).toBeUndefined();
    expect(await cache.remember('thing:0', 0, async () => 'x')).toBe('x');
    await cache.set('plain', { a: 1 }, 0);
    expect(await store.mget([cacheKey('thing:404'), cacheKey('thing:0'), cacheKey('plain')])).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('Should keep a plain value for its TTL only', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const store = createMemoryStore({ keyPrefix: 'c:', clock: () => now });
    const cache = createJsonCache(store, quiet);
    await cache.set('stats', { n: 3 }, 30);
    now = new Date('2030-01-01T00:00:29Z');
    expect(await cache.get('stats')).toEqual({ n: 3 });
    now = new Date('2030-01-01T00:00:30Z');
    expect(await cache.get('stats')).toBeUndefined();
  });

  it('Should fall through to the loader, never throwing, and log while the store is down', async () => {
    const lines: string[] = [];
    const cache = createJsonCache(unreachableStore(), createLogger({ level: 'warn', write: (l) => lines.push(l) }));
    const db = source('from the database');
    expect(await cache.remember('thing:1', 60, db.load)).toBe('from the database');
    expect(await cache.get('stats')).toBeUndefined();
    await cache.set('stats', { n: 1 }, 30);
    await cache.invalidate('thing:1');
    const logged = lines.map((l) => JSON.parse(l));
    // One warning per cache and interval (`thing`, `stats`), not one per operation; never the key's id.
    expect(logged.map((l) => [l.level, l.msg, l.route])).toEqual([
      ['warn', 'cache unavailable', 'cache thing'],
      ['warn', 'cache unavailable', 'cache stats'],
      ['error', 'cache invalidation failed: copies may be stale until they expire', undefined],
    ]);
    expect(logged[0].error).toMatchObject({ name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' });
  });
});
