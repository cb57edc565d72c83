import { afterAll, describe, expect, it } from 'vitest';
import { redisBinary, startPrivateRedis } from '../../dev/private-services.ts';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from '../../test/support/redis.ts';
import { defineKeyValueContract } from '../kv/contract.ts';
import { KeyValueTimeoutError } from '../kv/reply-limit.ts';
import { openRedisStore } from './kv-redis.ts';

const redis = redisTarget('redis over TCP');
const keyPrefix = testKeyPrefix();

describe.skipIf(redis.skip)(`key-value contract [${redis.label}]`, () => {
  defineKeyValueContract(() => ({
    keyPrefix,
    open: (prefix) => openRedisStore({ url: redis.url as string, keyPrefix: prefix }),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }));
  afterAll(async () => {
    await deleteKeysWithPrefix(redis.url as string, keyPrefix);
  });
});

describe('redis store without a server', () => {
  it('Should open anyway, fail commands at once while down, and close', async () => {
    // A port nothing listens on: the client fails as in an outage, and keeps reconnecting.
    const errors: Error[] = [];
    const store = await openRedisStore({
      url: 'redis://127.0.0.1:9',
      keyPrefix: 'test:',
      connectWaitMs: 300,
      onError: (error) => errors.push(error),
    });
    expect(store.kind).toBe('redis');
    await expect(store.ping()).rejects.toThrow();
    await expect(store.get('k')).rejects.toThrow();
    // Reported once per outage, not once per reconnect attempt.
    expect(errors).toHaveLength(1);
    await store.close();
  });
});

const redisBin = redisBinary();
describe.skipIf('missing' in redisBin)(
  `redis store on a server that stops answering${'missing' in redisBin ? ` (skipped: ${redisBin.missing})` : ''}`,
  () => {
    it('Should fail each command after the limit, then at once for a moment, and work again once it answers', {
      timeout: 30_000,
    }, async () => {
      const server = await startPrivateRedis();
      const errors: Error[] = [];
      const store = await openRedisStore({
        url: server.url,
        keyPrefix: 'stall:',
        replyLimitMs: 200,
        onError: (error) => errors.push(error),
      });
      try {
        await store.set('k', 'before');
        await server.freeze();
        await expect(store.get('k')).rejects.toThrow(new KeyValueTimeoutError('Redis did not answer within 200 ms'));
        // Known to be stalled: the next commands are refused without waiting for the server.
        await expect(store.incr('n', 60)).rejects.toThrow(/did not answer within 200 ms a moment ago/);
        await expect(store.ping()).rejects.toBeInstanceOf(KeyValueTimeoutError);
        expect(errors.map((e) => e.message)).toEqual(['Redis did not answer within 200 ms']);
        await server.thaw();
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        expect(await store.get('k')).toBe('before');
        expect(await store.incr('n', 60)).toBe(1);
      } finally {
        // Thawed first: closing waits for the replies in flight.
        await server.thaw();
        await store.close();
        await server.destroy();
      }
    });
  },
);
