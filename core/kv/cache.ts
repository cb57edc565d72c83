import type { KeyValueStore } from '../../db/kv/port.ts';
import type { AppDeps } from '../deps.ts';
import type { Logger } from '../logger.ts';
import type { AppMetrics } from '../observability/app-metrics.ts';

/**
 * How long an invalidation marker lives. It must outlast every cached entry (entries
 * are capped at half of it), so no entry written before an invalidation can be read
 * as current after the marker has expired.
 */
const GENERATION_TTL_SECONDS = 2 * 86_400;

/** What a cached entry holds: the value and the generation of its key when it was read. */
interface Entry {
  g: string | null;
  v: unknown;
}

/**
 * JSON values in the key-value store with a TTL. A cache failure never fails a
 * request: it is logged and the caller gets a miss, so it falls through to the database.
 */
export interface JsonCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /**
   * Read-through with versioned invalidation: the cached value when it is current,
   * else `load()`'s result, cached unless undefined (a miss is never cached).
   */
  remember<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Makes every copy of `key` stale, on every replica; call right after the write commits. */
  invalidate(key: string): Promise<void>;
}

/** A cache's name is its keys' prefix (`item`, `stats`): a bounded label. */
const cacheName = (key: string) => key.split(':', 1)[0] as string;

/** The storage key of a cached value, for tests that look into the store. */
export const cacheKey = (key: string) => `cache:${key}`;
const generationKey = (key: string) => `cache:${key}:gen`;

/**
 * A JSON cache over `store`. Invalidation deletes the entry and moves the key to a
 * new random generation; an entry is current only if written under the generation
 * that is current now. That closes the race a plain delete leaves open: a reader that
 * loaded the old row before a write commits, and stores it after the write's delete,
 * stores it under the old generation, so no one reads it.
 */
export function createJsonCache(store: KeyValueStore, logger: Logger, metrics?: AppMetrics): JsonCache {
  // The cache's name, not the key: keys hold ids, and one line per outage and cache is enough.
  const failed = (operation: string, key: string, error: unknown) =>
    logger.warnThrottled('cache unavailable', { route: `cache ${cacheName(key)}`, operation, error });
  const ttl = (seconds: number) => Math.min(Math.floor(seconds), GENERATION_TTL_SECONDS / 2);
  // The cache's name is its keys' prefix (`item`, `stats`): a bounded label.
  const count = (hit: boolean, key: string) =>
    (hit ? metrics?.cacheHits : metrics?.cacheMisses)?.inc({ cache: cacheName(key) });

  return {
    async get<T>(key: string) {
      try {
        const raw = await store.get(cacheKey(key));
        count(raw !== null, key);
        return raw === null ? undefined : (JSON.parse(raw) as T);
      } catch (error) {
        failed('get', key, error);
        return undefined;
      }
    },

    async set(key, value, ttlSeconds) {
      if (ttl(ttlSeconds) < 1) return;
      try {
        await store.set(cacheKey(key), JSON.stringify(value), ttl(ttlSeconds));
      } catch (error) {
        failed('set', key, error);
      }
    },

    async remember<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>) {
      if (ttl(ttlSeconds) < 1) return load();
      // undefined: the store did not answer, so nothing is written back either.
      let generation: string | null | undefined;
      try {
        const [current, raw] = await store.mget([generationKey(key), cacheKey(key)]);
        generation = current ?? null;
        const entry = typeof raw === 'string' ? (JSON.parse(raw) as Entry) : undefined;
        if (entry && entry.g === generation) {
          count(true, key);
          return entry.v as T;
        }
      } catch (error) {
        failed('read', key, error);
      }
      count(false, key);
      const value = await load();
      if (value === undefined || generation === undefined) return value;
      try {
        const entry: Entry = { g: generation, v: value };
        await store.set(cacheKey(key), JSON.stringify(entry), ttl(ttlSeconds));
      } catch (error) {
        failed('write', key, error);
      }
      return value;
    },

    async invalidate(key) {
      try {
        await Promise.all([
          store.set(generationKey(key), crypto.randomUUID(), GENERATION_TTL_SECONDS),
          store.del([cacheKey(key)]),
        ]);
      } catch (error) {
        // Copies may be served until their TTL runs out; say so loudly.
        logger.error('cache invalidation failed: copies may be stale until they expire', { key, error });
      }
    },
  };
}

// Keyed by the store: requests and job runs get their own copy of the deps, not of the store.
const caches = new WeakMap<KeyValueStore, JsonCache>();

/** The app's cache over `deps.kv`, built once per store. */
export function appCache(deps: AppDeps): JsonCache {
  let cache = caches.get(deps.kv);
  if (!cache) {
    cache = createJsonCache(deps.kv, deps.logger, deps.telemetry?.metrics);
    caches.set(deps.kv, cache);
  }
  return cache;
}
