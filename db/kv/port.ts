/**
 * The key-value port behind rate limits and caching. Three adapters implement it:
 * Upstash Redis over REST (edge and self-hosted), Redis over TCP (self-hosted, Node
 * only) and in-memory (the embedded default and tests). Values are strings; callers
 * serialize.
 */
export interface KeyValueStore {
  readonly kind: 'upstash' | 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<(string | null)[]>;
  /** Sets a value, expiring after `ttlSeconds` when given. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Deletes keys; returns how many existed. */
  del(keys: string[]): Promise<number>;
  /**
   * Increments a counter and returns its new value. The expiry is set when the key is
   * created and never extended, atomically with the increment (fixed-window counters).
   */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /** Round-trips to the store; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const KV_DRIVERS = ['upstash', 'redis', 'memory'] as const;

/** Which store to open and how (the `kv` part of the app's configuration). */
export interface KeyValueSettings {
  driver: (typeof KV_DRIVERS)[number];
  /** Prepended to every key, so several apps or test runs can share one Redis. */
  keyPrefix: string;
  redisUrl?: string;
  upstash?: { url: string; token: string };
}
