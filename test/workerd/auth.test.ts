import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const origin = 'http://edgeplane.test';

/** A request from a given client address: on Workers, Cloudflare sets CF-Connecting-IP. */
function from(ip: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', ip);
  if (init.body) headers.set('content-type', 'application/json');
  return SELF.fetch(`${origin}${path}`, { ...init, headers });
}

const signIn = (ip: string, password: string) =>
  from(ip, '/api/v1/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email: env.ADMIN_EMAIL_FOR_TESTS, password }),
  });

describe('Worker entry in workerd: sign-in, authorization, rate limits', () => {
  it('Should sign in, and write an item only with the token', async () => {
    const login = await signIn('198.51.100.1', env.ADMIN_PASSWORD_FOR_TESTS);
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const body = JSON.stringify({ title: `Written in workerd ${crypto.randomUUID()}` });
    const anonymous = await from('198.51.100.1', '/api/v1/items', { method: 'POST', body });
    expect(anonymous.status).toBe(401);
    const authorized = await from('198.51.100.1', '/api/v1/items', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(authorized.status).toBe(201);
    expect(authorized.headers.get('ratelimit-limit')).toBeTruthy();
  });

  it('Should answer 429 with Retry-After once one address exceeds the sign-in limit', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(ip, 'not-the-password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await signIn(ip, env.ADMIN_PASSWORD_FOR_TESTS);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    // Another address is not affected.
    expect((await signIn('203.0.113.78', env.ADMIN_PASSWORD_FOR_TESTS)).status).toBe(200);
  });
});
