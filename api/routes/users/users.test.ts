import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLogs, users } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`users API [${backend.label}]`, () => {
  const t = useTestApp();
  const PASSWORD = 'correct horse battery';

  const email = () => `${unique('user')}@example.test`;
  const post = (json: unknown) => t.request('/api/v1/users', { method: 'POST', json });
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await post({ email: email(), name: 'Ada', password: PASSWORD, ...body });
    expect(res.status).toBe(201);
    return res.json();
  };
  const patch = (id: string, json: unknown) => t.request(`/api/v1/users/${id}`, { method: 'PATCH', json });
  const login = (address: string, password = PASSWORD) =>
    t.request('/api/v1/auth/login', { method: 'POST', json: { email: address, password }, as: 'anonymous' });
  const refresh = (refreshToken: string) =>
    t.request('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken }, as: 'anonymous' });
  const fields = async (res: Response) =>
    ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);

  it('Should create a user: 201, Location, the fields and never the password hash', async () => {
    const address = email();
    const res = await post({ email: address, name: 'Grace', role: 'editor', password: PASSWORD });
    expect(res.status).toBe(201);
    const user = await res.json();
    expect(res.headers.get('location')).toBe(`/api/v1/users/${user.id}`);
    expect(user).toMatchObject({ email: address, name: 'Grace', role: 'editor', disabled: false });
    expect(user).not.toHaveProperty('invitation');
    expect(JSON.stringify(user)).not.toMatch(/password|pbkdf2/i);
    expect(await (await t.request(`/api/v1/users/${user.id}`)).json()).toEqual(user);
    expect((await login(address)).status).toBe(200);
  });

  it('Should give anyone who reads items the names and emails of the ids asked for, and nothing more', async () => {
    const a = await create({ name: 'Lookup A' });
    const b = await create({ name: 'Lookup B', role: 'admin' });
    const res = await t.request(`/api/v1/users/lookup?ids=${b.id},${crypto.randomUUID()},${a.id},${a.id}`, {
      as: 'viewer',
    });
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual([
      { id: a.id, name: 'Lookup A', email: a.email },
      { id: b.id, name: 'Lookup B', email: b.email },
    ]);
    const bad = await t.request('/api/v1/users/lookup?ids=not-an-id', { as: 'viewer' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors[0]).toMatchObject({ field: 'ids', in: 'query' });
    expect((await t.request('/api/v1/users/lookup', { as: 'viewer' })).status).toBe(422);
  });

  it('Should invite without a password: a one-time password shown once that signs in', async () => {
    const address = email();
    const res = await post({ email: address, name: 'Invited' });
    expect(res.status).toBe(201);
    const user = await res.json();
    expect(user.role).toBe('viewer');
    expect(user.invitation.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const got = await (await t.request(`/api/v1/users/${user.id}`)).json();
    expect(got).not.toHaveProperty('invitation');
    const list = await (await t.request('/api/v1/users?limit=100')).json();
    expect(JSON.stringify(list)).not.toContain(user.invitation.password);
    const signedIn = await login(address, user.invitation.password);
    expect(signedIn.status).toBe(200);
    expect((await signedIn.json()).user.id).toBe(user.id);
  });

  it('Should refuse a duplicate email in any case with 409 naming email', async () => {
    const user = await create();
    const res = await post({ email: user.email.toUpperCase(), name: 'Twin', password: PASSWORD });
    expect(res.status).toBe(409);
    const problem = await res.json();
    expect(problem.code).toBe('conflict');
    expect(problem.detail).toContain('email');
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['email']);
  });

  it('Should reject bad input with 422 naming each field', async () => {
    expect(await fields(await post({ email: 'nope', name: '', password: 'short' }))).toEqual(
      expect.arrayContaining(['email', 'name', 'password']),
    );
    expect(await fields(await post({ email: email(), name: 'x', role: 'owner' }))).toEqual(['role']);
    expect(await fields(await post({ email: email(), name: 'x', passwordHash: 'mine' }))).toEqual(['passwordHash']);
    const user = await create();
    expect(await fields(await patch(user.id, {}))).toEqual(['(root)']);
    expect(await fields(await patch(user.id, { disabled: 'yes', email: 'a@b.c' }))).toEqual(
      expect.arrayContaining(['disabled', 'email']),
    );
    expect(await fields(await t.request('/api/v1/users/not-a-uuid'))).toEqual(['id']);
  });

  it('Should update name and role, and 404 an unknown user', async () => {
    const user = await create({ role: 'viewer' });
    const res = await patch(user.id, { name: 'Renamed', role: 'editor' });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toMatchObject({ id: user.id, name: 'Renamed', role: 'editor', disabled: false });
    expect(updated.updatedAt >= user.updatedAt).toBe(true);
    expect((await patch(crypto.randomUUID(), { name: 'x' })).status).toBe(404);
    expect((await t.request(`/api/v1/users/${crypto.randomUUID()}`)).status).toBe(404);
    // Users are never deleted: there is no DELETE to answer.
    const remove = await t.request(`/api/v1/users/${crypto.randomUUID()}`, { method: 'DELETE' });
    expect(remove.status).toBe(405);
    expect(remove.headers.get('allow')).toBe('GET, HEAD, PATCH, OPTIONS');
  });

  it('Should set a new password: the new one signs in, the old one no longer', async () => {
    const user = await create();
    expect((await patch(user.id, { password: 'a brand new secret' })).status).toBe(200);
    expect((await login(user.email)).status).toBe(401);
    expect((await login(user.email, 'a brand new secret')).status).toBe(200);
  });

  it('Should disable with PATCH: sign-in gets the wrong-password 401 and the refresh token stops working', async () => {
    const user = await create();
    const session = await (await login(user.email)).json();
    const wrong = await (await login(user.email, 'not the password')).json();
    expect((await patch(user.id, { disabled: true })).status).toBe(200);
    const refused = await login(user.email);
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toBe(wrong.detail);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect((await (await t.request(`/api/v1/users/${user.id}`)).json()).disabled).toBe(true);
    // Disabling again changes nothing, and re-enabling lets the user sign in again.
    expect((await patch(user.id, { disabled: true })).status).toBe(200);
    expect((await patch(user.id, { disabled: false })).status).toBe(200);
    expect((await login(user.email)).status).toBe(200);
  });

  it('Should list newest first, filter by role and disabled, and paginate without repeats', async () => {
    const role = 'editor';
    const mine = [await create({ role }), await create({ role }), await create({ role })];
    await patch(mine[1].id, { disabled: true });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await (
        await t.request(`/api/v1/users?role=${role}&disabled=false&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      for (const user of page.data) {
        expect(user).toMatchObject({ role, disabled: false });
        seen.push(user.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([mine[0].id, mine[2].id]));
    expect(seen).not.toContain(mine[1].id);
    expect(seen.indexOf(mine[2].id)).toBeLessThan(seen.indexOf(mine[0].id));
    const disabled = await (await t.request('/api/v1/users?disabled=true&limit=100')).json();
    expect(disabled.data.every((u: { disabled: boolean }) => u.disabled)).toBe(true);
    expect((await t.request('/api/v1/users?cursor=garbage')).status).toBe(400);
    expect(await fields(await t.request('/api/v1/users?role=owner&disabled=maybe'))).toEqual(
      expect.arrayContaining(['role', 'disabled']),
    );
  });

  it('Should audit create, update and disable with before and after, never the password hash', async () => {
    const user = await create();
    await patch(user.id, { name: 'Audited', password: 'another long secret' });
    await patch(user.id, { disabled: true });
    const rows = (
      await t.handle.db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.entityType, 'user'), eq(auditLogs.entityId, user.id)))
    ).sort((a, b) => a.id - b.id);
    expect(rows.map((r) => r.action)).toEqual(['user.created', 'user.updated', 'user.disabled']);
    const [created, updated, disabled] = rows;
    expect(created?.before).toBeNull();
    expect(created?.after).toMatchObject({ email: user.email, role: 'viewer' });
    expect(updated?.before).toMatchObject({ name: 'Ada' });
    expect(updated?.after).toMatchObject({ name: 'Audited' });
    expect(disabled?.before).toMatchObject({ disabled: false });
    expect(disabled?.after).toMatchObject({ disabled: true });
    expect(created?.actorType).toBe('user');
    const [row] = await t.handle.db.select().from(users).where(eq(users.id, user.id));
    expect(JSON.stringify(rows)).not.toContain(row?.passwordHash as string);
    expect(JSON.stringify(rows)).not.toContain('passwordHash');
  });
});
