import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisBinary, startPrivateRedis } from '../../dev/private-services.ts';
import { startUpstashStandIn, type UpstashStandIn } from '../../dev/upstash-stand-in.ts';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from '../../test/support/redis.ts';
import { defineKeyValueContract } from './contract.ts';
import { KeyValueTimeoutError } from './reply-limit.ts';
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

const redisBin = redisBinary();
describe.skipIf('missing' in redisBin)(
  `upstash store whose Redis stops answering${'missing' in redisBin ? ` (skipped: ${redisBin.missing})` : ''}`,
  () => {
    it('Should fail each call after the limit, then at once for a moment, and work again once it answers', {
      timeout: 30_000,
    }, async () => {
      const server = await startPrivateRedis();
      const standIn = await startUpstashStandIn({ redisUrl: server.url });
      const store = createUpstashStore({
        url: standIn.url,
        token: standIn.token,
        keyPrefix: 'stall:',
        replyLimitMs: 300,
      });
      try {
        await store.set('k', 'before');
        await server.freeze();
        await expect(store.get('k')).rejects.toThrow(new KeyValueTimeoutError('Upstash did not answer within 300 ms'));
        await expect(store.incr('n', 60)).rejects.toThrow(/did not answer within 300 ms a moment ago/);
        await server.thaw();
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        expect(await store.get('k')).toBe('before');
      } finally {
        await server.thaw();
        await standIn.close();
        await server.destroy();
      }
    });
  },
);
