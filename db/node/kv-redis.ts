import { createClient } from 'redis';
import type { KeyValueStore } from '../kv/port.ts';
import { limitReplies } from '../kv/reply-limit.ts';
import { checkTtl } from '../kv/ttl.ts';

export interface RedisStoreOptions {
  /** `redis://` or `rediss://` (TLS), with credentials and database number as needed. */
  url: string;
  /** Prepended to every key so several apps or test runs can share one server. */
  keyPrefix: string;
  /** How long opening waits for the first connection before going on without it; default 2 s. */
  connectWaitMs?: number;
  /**
   * How long a command waits for its reply; default 500 ms. node-redis's own command
   * timeout ends once the command is written: a written command would wait as long as
   * the connection stays open.
   */
  replyLimitMs?: number;
  /** Told when the connection is lost or stops answering (once per outage, not per attempt). */
  onError?: (error: Error) => void;
}

/**
 * A store on Redis over TCP (node-redis), for self-hosted Node. Resolves once connected,
 * or after `connectWaitMs` with the client still reconnecting in the background: a Redis
 * outage at start-up shows in readiness instead of stopping the app. Commands fail at
 * once while disconnected rather than queueing, and after `replyLimitMs` on a connection
 * that stays open but no longer answers (`limitReplies`), so callers never hang on an
 * outage.
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<KeyValueStore> {
  const { keyPrefix } = options;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  let down = false;
  // Without a listener, a connection error would be thrown as an uncaught 'error' event.
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.onError?.(error);
  });
  client.on('ready', () => {
    down = false;
  });

  const connecting = client.connect().then(
    () => true,
    // Rejects only when closed before connecting; errors are reported through 'error'.
    () => false,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    connecting,
    new Promise((resolve) => (timer = setTimeout(resolve, options.connectWaitMs ?? 2_000))),
  ]);
  clearTimeout(timer);

  const k = (key: string) => keyPrefix + key;
  const store: KeyValueStore = {
    kind: 'redis',
    async get(key) {
      return client.get(k(key));
    },
    async mget(keys) {
      if (keys.length === 0) return [];
      return client.mGet(keys.map(k));
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds === undefined) {
        await client.set(k(key), value);
        return;
      }
      checkTtl(ttlSeconds);
      await client.set(k(key), value, { expiration: { type: 'EX', value: ttlSeconds } });
    },
    async del(keys) {
      if (keys.length === 0) return 0;
      return client.del(keys.map(k));
    },
    async incr(key, ttlSeconds) {
      checkTtl(ttlSeconds);
      // MULTI/EXEC: both apply or neither, and no other client's command runs between
      // them. EXPIRE NX sets the expiry only when the key has none (INCR just created
      // it), so later calls never extend the window.
      const [count] = await client.multi().incr(k(key)).expire(k(key), ttlSeconds, 'NX').execTyped();
      return count;
    },
    async ping() {
      await client.ping();
    },
    async close() {
      // `close` waits for replies in flight; a client that never connected has none.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
  return limitReplies(store, { name: 'Redis', limitMs: options.replyLimitMs ?? 500, onStall: options.onError });
}
