import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../../core/password.ts';
import { users } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';
import { ISSUER, signJwt } from '../../auth/jwt.ts';

describe.skipIf(backend.skip)(`auth: sign-in, tokens, refresh [${backend.label}]`, () => {
  const t = useTestApp();
  const PASSWORD = 'a-long-enough-password';

  const newUser = async (overrides: Partial<typeof users.$inferInsert> = {}) => {
    const [user] = await t.handle.db
      .insert(users)
      .values({
        email: `${unique('u')}@example.test`,
        name: 'Signer',
        role: 'editor',
        passwordHash: await hashPassword(PASSWORD),
        ...overrides,
      })
      .returning();
    return user as typeof users.$inferSelect;
  };
  const login = (email: string, password = PASSWORD) =>
    t.request('/api/v1/auth/login', { method: 'POST', json: { email, password }, as: 'anonymous' });
  const refresh = (refreshToken: string) =>
    t.request('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken }, as: 'anonymous' });
  const items = (token: string) =>
    t.request('/api/v1/items?limit=1', { headers: { authorization: `Bearer ${token}` } });

  it('Should sign in with email (any case) and password, returning tokens and setting httpOnly cookies', async () => {
    const user = await newUser();
    const res = await login(user.email.toUpperCase());
    expect(res.status).toBe(200);
    const session = await res.json();
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: user.id, role: 'editor' } });
    expect(session.user).not.toHaveProperty('passwordHash');
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('edgeplane_access='))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith('edgeplane_access='))).toMatch(/SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('edgeplane_refresh='))).toMatch(/Path=\/api\/v1\/auth/);
    // The hint the dashboard reads before asking who is signed in: no secret in it, so not httpOnly.
    const hint = cookies.find((c) => c.startsWith('edgeplane_session=')) as string;
    expect(hint).toMatch(/^edgeplane_session=1;/);
    expect(hint).not.toMatch(/HttpOnly/);
    expect(hint).toMatch(/SameSite=Strict/);
    expect(hint).toMatch(/Max-Age=2592000/);
    expect((await items(session.accessToken)).status).toBe(200);
    const access = cookies.find((c) => c.startsWith('edgeplane_access='))?.split(';')[0] as string;
    const viaCookie = await t.request('/api/v1/items?limit=1', { headers: { cookie: access }, as: 'anonymous' });
    expect(viaCookie.status).toBe(200);
  });

  it('Should answer a wrong password, an unknown email and a disabled account identically', async () => {
    const user = await newUser();
    const disabled = await newUser({ disabled: true });
    const answers = await Promise.all([
      login(user.email, 'wrong-password-here'),
      login(`${unique('nobody')}@example.test`),
      login(disabled.email),
    ]);
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, ...(await r.json()) })));
    for (const body of bodies) {
      expect(body).toMatchObject({ status: 401, code: 'unauthorized', detail: bodies[0]?.detail });
    }
  });

  it('Should rotate refresh tokens, and revoke the whole sign-in when a used one comes back', async () => {
    const user = await newUser();
    const first = await (await login(user.email)).json();
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    const rotated = await second.json();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect((await items(rotated.accessToken)).status).toBe(200);
    // The first token again: someone replayed it. Its family dies, the newest token included.
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect((await replay.json()).detail).toMatch(/already used/);
    expect((await refresh(rotated.refreshToken)).status).toBe(401);
  });

  it('Should stop refreshing once the account is disabled', async () => {
    const user = await newUser();
    const session = await (await login(user.email)).json();
    await t.handle.db.update(users).set({ disabled: true }).where(eq(users.id, user.id));
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it('Should revoke the refresh token at logout and clear the cookies', async () => {
    const user = await newUser();
    const session = await (await login(user.email)).json();
    const res = await t.request('/api/v1/auth/logout', {
      method: 'POST',
      json: { refreshToken: session.refreshToken },
      as: 'anonymous',
    });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((c) => /^edgeplane_access=;/.test(c))).toBe(true);
    expect(res.headers.getSetCookie().some((c) => /^edgeplane_session=;/.test(c))).toBe(true);
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it('Should refuse expired, tampered and foreign-key access tokens with 401', async () => {
    const user = await newUser();
    const [key] = t.deps.config.auth.signingKeys as [{ kid: string; secret: string }];
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user.id, role: 'admin' as const, iat: now - 3600, exp: now - 60, iss: ISSUER, jti: 'x' };
    const expired = await items(await signJwt(claims, key));
    expect(expired.status).toBe(401);
    expect((await expired.json()).detail).toMatch(/expired/);
    const valid = await signJwt({ ...claims, exp: now + 600 }, key);
    const [head, body] = valid.split('.');
    expect((await items(`${head}.${body}.AAAA`)).status).toBe(401);
    const foreign = await signJwt({ ...claims, exp: now + 600 }, { kid: key.kid, secret: 'x'.repeat(40) });
    expect((await items(foreign)).status).toBe(401);
  });

  it('Should say who is calling, for users and API keys', async () => {
    const me = await (await t.request('/api/v1/auth/me', { as: 'viewer' })).json();
    expect(me).toMatchObject({ type: 'user', role: 'viewer', user: { role: 'viewer' } });
    const key = await (await t.request('/api/v1/auth/me', { as: 'editor-key' })).json();
    expect(key).toMatchObject({ type: 'api_key', role: 'editor', user: null });
    expect((await t.request('/api/v1/auth/me', { as: 'anonymous' })).status).toBe(401);
  });

  it('Should record who made a change: the signed-in user in the audit row', async () => {
    const res = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('who') }, as: 'editor-key' });
    expect(res.status).toBe(201);
    const item = await res.json();
    const audit = await t.request(`/api/v1/items/${item.id}`, { as: 'viewer' });
    expect(audit.status).toBe(200);
  });
});
