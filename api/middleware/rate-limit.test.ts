import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/deps.ts';
import { createLogger } from '../../core/logger.ts';
import { createMemoryStore } from '../../db/kv/memory.ts';
import type { KeyValueStore } from '../../db/kv/port.ts';
import { createUpstashStore } from '../../db/kv/upstash.ts';
import { startUpstashStandIn, type UpstashStandIn } from '../../dev/upstash-stand-in.ts';
import type { TestResponse } from '../../test/support/http.ts';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from '../../test/support/redis.ts';
import { unreachableStore } from '../../test/support/unreachable-store.ts';
import { createRouter } from '../lib/create-router.ts';
import { handleError } from '../lib/errors.ts';
import { type RateLimitOptions, rateLimit } from './rate-limit.ts';
import { responseHeaders } from './response-headers.ts';

/** Window-aligned, so a test knows how far into the window each request falls. */
const START = Date.parse('2030-01-01T00:00:00Z');

interface StoreUnderTest {
  label: string;
  open(): Promise<KeyValueStore>;
}

const redis = redisTarget('redis over TCP');
const keyPrefix = testKeyPrefix();
const opened: KeyValueStore[] = [];
const stores: StoreUnderTest[] = [{ label: 'memory', open: async () => createMemoryStore({ keyPrefix: 'rl-test:' }) }];
if (!redis.skip) {
  stores.push({
    label: redis.label,
    open: async () => {
      const { openRedisStore } = await import('../../db/node/kv-redis.ts');
      // A prefix per test keeps tests apart on the one server.
      const store = await openRedisStore({
        url: redis.url as string,
        keyPrefix: `${keyPrefix}${crypto.randomUUID()}:`,
      });
      opened.push(store);
      return store;
    },
  });
}
// The same limits through the real @upstash/redis client, against the REST stand-in in front of that Redis.
let upstash: UpstashStandIn | undefined;
if (!redis.skip) {
  stores.push({
    label: 'upstash REST (stand-in) in front of redis',
    open: async () => {
      upstash ??= await startUpstashStandIn({ redisUrl: redis.url as string });
      const store = createUpstashStore({
        url: upstash.url,
        token: upstash.token,
        keyPrefix: `${keyPrefix}${crypto.randomUUID()}:`,
      });
      opened.push(store);
      return store;
    },
  });
}
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await upstash?.close();
  if (!redis.skip) await deleteKeysWithPrefix(redis.url as string, keyPrefix);
});

/** A small app: the actor comes from `x-test-actor` (as authentication would set it), limits are small. */
function limitedApp(store: KeyValueStore, options: Partial<RateLimitOptions> = {}) {
  const clock = { now: new Date(START), advance: (seconds: number) => (clock.now = new Date(START + seconds * 1000)) };
  const logs: string[] = [];
  const served = { count: 0 };
  const app = createRouter();
  // As in the app: the limit's headers ride on the request's response headers.
  app.use(responseHeaders());
  app.use(async (c, next) => {
    const id = c.req.header('x-test-actor');
    c.set('actor', (id ? { type: 'user', id, role: 'viewer' } : { type: 'anonymous', id: null }) as Actor);
    await next();
  });
  app.use(
    '/api/*',
    rateLimit({
      store,
      clock: () => clock.now,
      logger: createLogger({ level: 'warn', write: (line) => logs.push(line) }),
      anonymousLimit: 3,
      actorLimit: 5,
      routes: { 'POST /api/v1/auth/login': { name: 'login', limit: 2, whenStoreDown: 'closed' } },
      exempt: ['POST /api/v1/jobs/deliver'],
      ip: { cloudflare: false, trustProxy: true },
      ...options,
    }),
  );
  const ok = () => {
    served.count += 1;
    return new Response('ok');
  };
  app.get('/api/v1/things', ok);
  app.post('/api/v1/things', ok);
  app.post('/api/v1/auth/login', ok);
  app.post('/api/v1/jobs/deliver', ok);
  app.onError(handleError);
  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    app.request(path, { method, headers: { 'x-forwarded-for': '203.0.113.1', ...headers } }) as Promise<TestResponse>;
  return {
    clock,
    logs,
    served,
    send,
    get: (headers?: Record<string, string>) => send('GET', '/api/v1/things', headers),
  };
}

const remaining = (res: Response) => res.headers.get('ratelimit-remaining');

describe.each(stores)('rate limits on the $label store', (storeUnderTest) => {
  it('Should send RateLimit headers on every limited response, Remaining counting down', async () => {
    const t = limitedApp(await storeUnderTest.open());
    const responses = [await t.get(), await t.get(), await t.get()];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(responses.map(remaining)).toEqual(['2', '1', '0']);
    for (const res of responses) {
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      expect(res.headers.get('ratelimit-reset')).toBe('60');
      expect(res.headers.get('ratelimit-policy')).toBe('3;w=60');
    }
  });

  it('Should answer 429 with a problem and Retry-After once over the limit, without running the handler', async () => {
    const t = limitedApp(await storeUnderTest.open());
    for (let i = 0; i < 3; i++) await t.get();
    const refused = await t.get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(remaining(refused)).toBe('0');
    // 4 counted this window: in the next one they weigh 4 × (1 − t/60), and 2 + 1 fits at t = 30 s.
    expect(refused.headers.get('retry-after')).toBe('90');
    expect(refused.headers.get('ratelimit-reset')).toBe('90');
    expect(t.served.count).toBe(3);

    t.clock.advance(90);
    const again = await t.get();
    expect(again.status).toBe(200);
    expect(remaining(again)).toBe('0');
  });

  it('Should slide: the previous window weighs less as the current one goes on, and nothing after two', async () => {
    const t = limitedApp(await storeUnderTest.open());
    for (let i = 0; i < 3; i++) await t.get();
    t.clock.advance(60 + 40);
    // 3 × 20/60 = 1 carried over, plus this request: 2 of 3.
    expect(remaining(await t.get())).toBe('1');
    expect(remaining(await t.get())).toBe('0');
    expect((await t.get()).status).toBe(429);
    t.clock.advance(180);
    const fresh = await t.get();
    expect(fresh.status).toBe(200);
    expect(remaining(fresh)).toBe('2');
  });

  it('Should keep a bucket per client address, taking the first X-Forwarded-For hop', async () => {
    const t = limitedApp(await storeUnderTest.open());
    for (let i = 0; i < 3; i++) await t.get({ 'x-forwarded-for': '203.0.113.1' });
    expect((await t.get({ 'x-forwarded-for': '203.0.113.1, 10.0.0.7' })).status).toBe(429);
    const other = await t.get({ 'x-forwarded-for': '203.0.113.2' });
    expect(other.status).toBe(200);
    expect(remaining(other)).toBe('2');
  });

  it('Should count a signed-in actor apart from its address, under the actor limit', async () => {
    const t = limitedApp(await storeUnderTest.open());
    const asAlice = { 'x-test-actor': 'alice' };
    const alice = [];
    for (let i = 0; i < 5; i++) alice.push(await t.get(asAlice));
    expect(alice.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(alice[0]?.headers.get('ratelimit-limit')).toBe('5');
    expect((await t.get(asAlice)).status).toBe(429);
    // Same address: the anonymous bucket and another user's are untouched.
    expect(remaining(await t.get())).toBe('2');
    expect(remaining(await t.get({ 'x-test-actor': 'bob' }))).toBe('4');
  });

  it('Should limit login more strictly, per address, whoever is signed in, apart from other routes', async () => {
    const t = limitedApp(await storeUnderTest.open());
    const login = (headers: Record<string, string> = {}) => t.send('POST', '/api/v1/auth/login', headers);
    expect((await login()).headers.get('ratelimit-limit')).toBe('2');
    expect((await login({ 'x-test-actor': 'alice' })).status).toBe(200);
    const refused = await login({ 'x-test-actor': 'bob' });
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe('rate_limited');
    expect((await login({ 'x-forwarded-for': '198.51.100.9' })).status).toBe(200);
    const other = await t.get();
    expect(other.status).toBe(200);
    expect(remaining(other)).toBe('2');
  });

  it('Should never limit an exempt route, nor label it', async () => {
    const t = limitedApp(await storeUnderTest.open());
    for (let i = 0; i < 6; i++) {
      const res = await t.send('POST', '/api/v1/jobs/deliver');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});

describe('rate limits while the store is down', () => {
  it('Should serve reads unlimited, refuse login with 503, serve other writes by default, and log it', async () => {
    const store = unreachableStore();
    const t = limitedApp(store);
    for (let i = 0; i < 5; i++) {
      const res = await t.get();
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    expect((await t.send('HEAD', '/api/v1/things')).status).toBe(200);
    expect((await t.send('POST', '/api/v1/things')).status).toBe(200);

    const login = await t.send('POST', '/api/v1/auth/login');
    expect(login.status).toBe(503);
    expect(login.headers.get('content-type')).toBe('application/problem+json');
    expect(login.headers.get('retry-after')).toBe('5');
    expect((await login.json()).code).toBe('service_unavailable');
    expect(t.served.count).toBe(7);
    expect(store.calls).toBeGreaterThan(0);
    // Once per route template and interval, not once per request.
    const warnings = t.logs.map((line) => JSON.parse(line)).filter((l) => l.msg === 'rate limit store unavailable');
    expect(warnings.map((w) => w.route)).toEqual(['/api/v1/things', '/api/v1/auth/login']);
    expect(warnings[0]).toMatchObject({
      level: 'warn',
      method: 'GET',
      error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' },
    });
  });

  it('Should refuse other writes too when configured to fail closed, still serving reads', async () => {
    const t = limitedApp(unreachableStore(), { writesWhenStoreDown: 'closed' });
    expect((await t.send('POST', '/api/v1/things')).status).toBe(503);
    expect((await t.get()).status).toBe(200);
    expect(t.served.count).toBe(1);
  });
});
