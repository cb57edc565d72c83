import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { backend, useTestApp } from '../../test/support/harness.ts';
import type { Role } from '../../vocabulary/permissions.ts';
import { ISSUER, signJwt } from '../auth/jwt.ts';

describe.skipIf(backend.skip)(`authenticate: access tokens and accounts [${backend.label}]`, () => {
  let now = Date.parse('2031-05-01T00:00:00Z');
  const t = useTestApp({ clock: () => new Date(now) });

  const userWithToken = async (role: Role = 'viewer', ttl = 900) => {
    const [user] = await t.handle.db
      .insert(users)
      .values({ email: `${crypto.randomUUID()}@example.test`, name: 'Token holder', role })
      .returning();
    const [key] = t.deps.config.auth.signingKeys as [{ kid: string; secret: string }];
    const iat = Math.floor(now / 1000);
    const id = user?.id as string;
    const token = await signJwt({ sub: id, role, iat, exp: iat + ttl, iss: ISSUER, jti: crypto.randomUUID() }, key);
    const get = (path = '/api/v1/items?limit=1') => t.request(path, { headers: { authorization: `Bearer ${token}` } });
    return { id, get };
  };

  it('Should still refuse a remembered token once it has expired', async () => {
    const { get } = await userWithToken('viewer', 100);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200); // served from the cache of verified tokens
    now += 200_000;
    const expired = await get();
    expect(expired.status).toBe(401);
    expect((await expired.json()).detail).toMatch(/expired/);
  });

  it('Should refuse the token of a disabled account within a minute, however long the token lives', async () => {
    const { id, get } = await userWithToken();
    expect((await get()).status).toBe(200);
    await t.handle.db.update(users).set({ disabled: true }).where(eq(users.id, id));
    now += 61_000;
    const refused = await get();
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toMatch(/disabled/);
  });

  it('Should apply a role change within a minute, whatever role the token names', async () => {
    const { id, get } = await userWithToken('editor');
    expect((await get('/api/v1/auth/me')).status).toBe(200);
    await t.handle.db.update(users).set({ role: 'viewer' }).where(eq(users.id, id));
    now += 61_000;
    expect(await (await get('/api/v1/auth/me')).json()).toMatchObject({ role: 'viewer' });
  });

  it('Should refuse a validly signed token for a user that does not exist', async () => {
    const [key] = t.deps.config.auth.signingKeys as [{ kid: string; secret: string }];
    const iat = Math.floor(now / 1000);
    const ghost = await signJwt(
      { sub: crypto.randomUUID(), role: 'admin', iat, exp: iat + 900, iss: ISSUER, jti: 'ghost' },
      key,
    );
    const res = await t.request('/api/v1/items', { headers: { authorization: `Bearer ${ghost}` } });
    expect(res.status).toBe(401);
  });

  it('Should answer 401, not an error, for a token whose header is JSON but not an object', async () => {
    const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '');
    const odd = `${part(null)}.${part({ sub: 'x' })}.AAAA`;
    const res = await t.request('/api/v1/items', { headers: { authorization: `Bearer ${odd}` } });
    expect(res.status).toBe(401);
  });
});
