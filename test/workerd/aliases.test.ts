import * as neon from '@neondatabase/serverless';
import * as upstash from '@upstash/redis/cloudflare';
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';

// The modules wrangler.toml's [alias] builds the Worker from; test/workerd/vitest.config.ts
// applies the same aliases, so these tests run what is deployed.
describe('the Worker’s aliased modules in workerd', () => {
  it('Should use the Worker’s zod, without the locales', () => {
    expect('locales' in zod).toBe(false);
    expect(zod.z.string().safeParse(1).success).toBe(false);
  });

  it('Should use the Worker’s Neon HTTP client, without the WebSocket Pool', () => {
    expect(Object.keys(neon).sort()).toEqual(['NeonDbError', 'NeonQueryPromise', 'neon', 'neonConfig', 'types']);
  });

  it('Should use the Worker’s Upstash client, with the store’s commands only', () => {
    const redis = new upstash.Redis({ url: 'https://example.upstash.io', token: 't' }) as unknown as object;
    expect('get' in redis && 'multi' in redis).toBe(true);
    expect('hgetall' in redis || 'json' in redis).toBe(false);
  });
});
