import { describe, expect, it } from 'vitest';
import { backend, useTestApp } from '../../test/support/harness.ts';
import { ISSUER, signJwt } from '../auth/jwt.ts';

describe.skipIf(backend.skip)(`authenticate: verified-token cache [${backend.label}]`, () => {
  let now = Date.parse('2031-05-01T00:00:00Z');
  const t = useTestApp({ clock: () => new Date(now) });

  it('Should still refuse a remembered token once it has expired', async () => {
    const [key] = t.deps.config.auth.signingKeys as [{ kid: string; secret: string }];
    const iat = Math.floor(now / 1000);
    const token = await signJwt(
      { sub: crypto.randomUUID(), role: 'viewer', iat, exp: iat + 100, iss: ISSUER, jti: 'cache-test' },
      key,
    );
    const get = () => t.request('/api/v1/items?limit=1', { headers: { authorization: `Bearer ${token}` } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200); // served from the cache of verified tokens
    now += 200_000;
    const expired = await get();
    expect(expired.status).toBe(401);
    expect((await expired.json()).detail).toMatch(/expired/);
  });
});
