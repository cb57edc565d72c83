import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, testKeyPrefix } from '../support/redis.ts';
import { ADMIN } from './admin.ts';
import { conformanceClient } from './client.ts';
import { useServerEntry } from './server-entry.ts';

/**
 * The adapters the README's runtime table lists for Deno and Bun beyond the ones their
 * conformance runs use (neon-http, pg): the embedded PGlite, kept in DATA_DIR, and Redis
 * over TCP (node-redis), both through the runtimes' Node compatibility.
 */
const redisUrl = process.env.TEST_REDIS_URL || undefined;

for (const runtime of ['deno', 'bun'] as const) {
  describe(`${runtime} entry on embedded PGlite${redisUrl ? ' with Redis over TCP' : ''}`, () => {
    const keyPrefix = testKeyPrefix();
    const entry = useServerEntry(runtime, 'pglite', {
      ignorePostgres: true,
      env: redisUrl ? { REDIS_URL: redisUrl, KV_KEY_PREFIX: keyPrefix } : {},
    });
    const client = conformanceClient(entry.baseUrl);
    afterAll(async () => {
      if (redisUrl) await deleteKeysWithPrefix(redisUrl, keyPrefix);
    });

    it('Should migrate and seed its PGlite database at start-up and serve reads and writes from it', async () => {
      const signedIn = await client.signIn(ADMIN);
      expect(signedIn.status).toBe(200);
      client.session.token = (await signedIn.json()).accessToken;
      const demo = await (await client.send('/api/v1/items?q=rotate%20the%20database&limit=100')).json();
      expect(demo.data.length, 'the demo workspace is seeded into an empty embedded database').toBeGreaterThan(0);
      const { item } = await client.create({ title: `On ${runtime} ${client.tag()}` });
      expect(await (await client.send(`/api/v1/items/${item.id}`)).json()).toEqual(item);
    });

    it.skipIf(!redisUrl)(
      `Should keep its cache and rate limits in Redis over TCP${redisUrl ? '' : ' (skipped: TEST_REDIS_URL is not set)'}`,
      async () => {
        const ready = await (await client.send('/health/ready')).json();
        expect(ready.checks.cache).toMatchObject({ status: 'up', kind: 'redis' });
        // The item read above went through the cache: its key is in Redis under this run's prefix.
        expect(await deleteKeysWithPrefix(redisUrl as string, keyPrefix)).toBeGreaterThan(0);
      },
    );
  });
}
