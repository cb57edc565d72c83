import type { KeyValueStore } from './port.ts';
import { checkTtl } from './ttl.ts';

interface Entry {
  value: string;
  /** Epoch milliseconds; absent means no expiry. */
  expiresAt?: number;
}

/** The map behind memory stores; share one to see several key prefixes over one "server". */
export type MemoryBacking = Map<string, Entry>;

export interface MemoryStoreOptions {
  /** Prepended to every key, as the Redis adapters do. */
  keyPrefix: string;
  /** Decides expiry; tests pass a fake clock to expire keys without waiting. */
  clock?: () => Date;
  backing?: MemoryBacking;
}

/** Expired entries are dropped on read, and swept every this many writes so unread keys do not pile up. */
const SWEEP_EVERY_WRITES = 1_000;

/**
 * An in-process store with Redis semantics for what the port uses. Web-standard, so it
 * runs on every runtime; on Workers it lives per isolate, so counters are not shared
 * between isolates (configure Upstash for that).
 */
export function createMemoryStore(options: MemoryStoreOptions): KeyValueStore {
  const { keyPrefix } = options;
  const now = () => (options.clock ?? (() => new Date()))().getTime();
  const data: MemoryBacking = options.backing ?? new Map();
  let writes = 0;

  function live(key: string): Entry | undefined {
    const entry = data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  }

  function wrote(): void {
    writes += 1;
    if (writes % SWEEP_EVERY_WRITES !== 0) return;
    const at = now();
    for (const [key, entry] of data) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= at) data.delete(key);
    }
  }

  return {
    kind: 'memory',
    async get(key) {
      return live(keyPrefix + key)?.value ?? null;
    },
    async mget(keys) {
      return keys.map((key) => live(keyPrefix + key)?.value ?? null);
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds !== undefined) checkTtl(ttlSeconds);
      data.set(keyPrefix + key, {
        value,
        expiresAt: ttlSeconds === undefined ? undefined : now() + ttlSeconds * 1000,
      });
      wrote();
    },
    async del(keys) {
      let deleted = 0;
      // A key named twice counts once, as in Redis.
      for (const key of new Set(keys)) {
        if (live(keyPrefix + key) && data.delete(keyPrefix + key)) deleted += 1;
      }
      return deleted;
    },
    async incr(key, ttlSeconds) {
      checkTtl(ttlSeconds);
      const entry = live(keyPrefix + key);
      if (entry && !/^-?\d+$/.test(entry.value)) throw new Error('ERR value is not an integer or out of range');
      const next = (entry ? Number(entry.value) : 0) + 1;
      // As INCR + EXPIRE NX: an existing expiry stays; a key without one gets it now.
      data.set(keyPrefix + key, { value: String(next), expiresAt: entry?.expiresAt ?? now() + ttlSeconds * 1000 });
      wrote();
      return next;
    },
    async ping() {},
    async close() {},
  };
}
