// The platform-neutral build: `fetch` only, no `process.env` lookups, so it bundles for
// Workers without nodejs_compat and runs on Node as well. On the Worker this import is
// ./upstash-redis-client.ts (wrangler.toml [alias]), a client for the commands used here.
import { Redis } from '@upstash/redis/cloudflare';
import type { KeyValueStore } from './port.ts';
import { limitReplies } from './reply-limit.ts';
import { checkTtl } from './ttl.ts';

export interface UpstashStoreOptions {
  /** The REST URL (UPSTASH_REDIS_REST_URL); `http://127.0.0.1:PORT` for the local stand-in. */
  url: string;
  token: string;
  /** Prepended to every key so several apps or test runs can share one database. */
  keyPrefix: string;
  /** Retries after a network failure (not after a Redis error); default 2. */
  retries?: number;
  /** Gives up on one HTTP request after this long; default 5 s, so an outage fails fast. */
  timeoutMs?: number;
  /** How long a call (its retries included) waits for its answer; default 1 s (`limitReplies`). */
  replyLimitMs?: number;
}

/** A store on Upstash Redis over its REST API: one HTTP request per call, nothing to close. */
export function createUpstashStore(options: UpstashStoreOptions): KeyValueStore {
  const { keyPrefix } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  // Built explicitly from configuration (never `fromEnv`): on Workers the bindings are
  // per request, and the app validates them once per isolate.
  const redis = new Redis({
    url: options.url,
    token: options.token,
    // Values are opaque strings: the default would JSON-parse "42" into a number.
    automaticDeserialization: false,
    enableTelemetry: false,
    retry: { retries: options.retries ?? 2, backoff: (attempt) => 50 * 2 ** attempt },
    // A function: the client asks for a fresh signal per request.
    signal: () => AbortSignal.timeout(timeoutMs),
  });
  const k = (key: string) => keyPrefix + key;

  const store: KeyValueStore = {
    kind: 'upstash',
    async get(key) {
      return redis.get<string>(k(key));
    },
    async mget(keys) {
      if (keys.length === 0) return [];
      return redis.mget<(string | null)[]>(keys.map(k));
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds === undefined) {
        await redis.set(k(key), value);
        return;
      }
      checkTtl(ttlSeconds);
      await redis.set(k(key), value, { ex: ttlSeconds });
    },
    async del(keys) {
      if (keys.length === 0) return 0;
      return redis.del(...keys.map(k));
    },
    async incr(key, ttlSeconds) {
      checkTtl(ttlSeconds);
      // One /multi-exec request, run by Upstash as MULTI/EXEC: both commands apply or
      // neither does. A /pipeline would be one request too, but it is not a transaction:
      // if it failed between the two, the counter would be left without an expiry and a
      // fixed-window limit would never reset. EXPIRE NX sets the expiry only on the key
      // INCR just created (or one that somehow lacks it), so later calls never extend it.
      const [count] = await redis.multi().incr(k(key)).expire(k(key), ttlSeconds, 'NX').exec<[number, number]>();
      return count;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      // Stateless HTTP: no connection to release.
    },
  };
  return limitReplies(store, { name: 'Upstash', limitMs: options.replyLimitMs ?? 1_000 });
}
