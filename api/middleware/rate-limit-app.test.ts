import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { backend, TEST_JWT_KEYS, unique, useTestApp } from '../../test/support/harness.ts';
import { unreachableStore } from '../../test/support/unreachable-store.ts';

const config = parseConfig({
  APP_ENV: 'test',
  ACCESS_LOG: 'false',
  LOG_LEVEL: 'silent',
  JWT_SIGNING_KEYS: TEST_JWT_KEYS,
  RATE_LIMIT_ANON_PER_MINUTE: '3',
  RATE_LIMIT_USER_PER_MINUTE: '5',
  RATE_LIMIT_LOGIN_PER_MINUTE: '2',
  TRUST_PROXY: 'true',
});
let hosts = 0;
/** A fresh client address per test, so tests share no bucket. */
const address = () => `198.51.100.${++hosts}`;
const login = { email: 'nobody@example.com', password: 'not the password' };

describe.skipIf(backend.skip)(`rate limits in the app [${backend.label}]`, () => {
  const t = useTestApp({ config });

  it('Should limit API routes per address, and never health probes or QStash deliveries', async () => {
    const from = { 'x-forwarded-for': address() };
    for (let i = 0; i < 3; i++) {
      const res = await t.request('/api/v1/items', { as: 'anonymous', headers: from });
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(2 - i));
    }
    const refused = await t.request('/api/v1/items', { as: 'anonymous', headers: from });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    for (const path of ['/health/live', '/health/ready']) {
      const res = await t.request(path, { as: 'anonymous', headers: from });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    const delivery = await t.request('/api/v1/jobs/deliver', { method: 'POST', as: 'anonymous', headers: from });
    expect(delivery.status).not.toBe(429);
    expect(delivery.headers.get('ratelimit-limit')).toBeNull();
  });

  it('Should declare 429 in the OpenAPI document on every limited operation, and only there', async () => {
    const doc = await (await t.request('/openapi.json', { as: 'anonymous' })).json();
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const limited = path.startsWith('/api/') && `${method} ${path}` !== 'post /api/v1/jobs/deliver';
        expect('429' in operation.responses, `${method} ${path}`).toBe(limited);
      }
    }
  });

  it('Should count a signed-in caller under the user limit, apart from its address', async () => {
    const from = { 'x-forwarded-for': address() };
    const res = await t.request('/api/v1/items', { headers: from });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('5');
    const anonymous = await t.request('/api/v1/items', { as: 'anonymous', headers: from });
    expect(anonymous.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('Should limit sign-in attempts per address at the stricter login limit', async () => {
    const from = { 'x-forwarded-for': address() };
    const attempt = () =>
      t.request('/api/v1/auth/login', { method: 'POST', as: 'anonymous', headers: from, json: login });
    const first = await attempt();
    expect(first.status).not.toBe(429);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect((await attempt()).status).not.toBe(429);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe('rate_limited');
  });
});

describe.skipIf(backend.skip)(`rate limits in the app, store down [${backend.label}]`, () => {
  const t = useTestApp({ config, kv: unreachableStore() });

  it('Should serve reads and writes but refuse sign-in with 503', async () => {
    expect((await t.request('/api/v1/items')).status).toBe(200);
    const created = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('limits-down') } });
    expect(created.status).toBe(201);
    const attempt = await t.request('/api/v1/auth/login', { method: 'POST', as: 'anonymous', json: login });
    expect(attempt.status).toBe(503);
    expect((await attempt.json()).code).toBe('service_unavailable');
  });
});

describe.skipIf(backend.skip)(`rate limits switched off [${backend.label}]`, () => {
  const t = useTestApp({ config: { ...config, rateLimit: { ...config.rateLimit, enabled: false } } });

  it('Should neither label nor limit anything', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.request('/api/v1/items', { as: 'anonymous' });
      expect(res.status).not.toBe(429);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});
