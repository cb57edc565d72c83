import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../../dev/upstash-stand-in.ts';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from '../../test/support/redis.ts';
import { defineKeyValueContract } from './contract.ts';
import { createUpstashStore } from './upstash.ts';

const redis = redisTarget('upstash client → REST stand-in → redis');
const keyPrefix = testKeyPrefix();

describe.skipIf(redis.skip)(`key-value contract [${redis.label}]`, () => {
  // The real @upstash/redis client over HTTP, the stand-in translating to a real Redis.
  let standIn: UpstashStandIn;
  beforeAll(async () => {
    standIn = await startUpstashStandIn({ redisUrl: redis.url as string });
  });
  afterAll(async () => {
    await standIn?.close();
    await deleteKeysWithPrefix(redis.url as string, keyPrefix);
  });
  defineKeyValueContract(() => ({
    keyPrefix,
    open: async (prefix) => createUpstashStore({ url: standIn.url, token: standIn.token, keyPrefix: prefix }),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }));
});

describe('upstash store without a server', () => {
  it('Should fail a ping when nothing answers', async () => {
    const store = createUpstashStore({ url: 'http://127.0.0.1:9', token: 't', keyPrefix: 'test:', retries: 0 });
    expect(store.kind).toBe('upstash');
    await expect(store.ping()).rejects.toThrow();
  });
});
