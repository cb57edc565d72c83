import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from '../../test/support/redis.ts';
import { defineKeyValueContract } from '../kv/contract.ts';
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
