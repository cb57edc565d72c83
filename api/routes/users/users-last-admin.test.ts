import { and, eq, ne } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { users } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

// Isolated: the guard counts every enabled admin in the table.
describe.skipIf(backend.skip)(`users API: the last enabled admin [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  const patch = (id: string, json: unknown) => t.request(`/api/v1/users/${id}`, { method: 'PATCH', json });
  const createAdmin = async () => {
    const res = await t.request('/api/v1/users', {
      method: 'POST',
      json: { email: `${unique('admin')}@example.test`, name: 'Admin', role: 'admin' },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };
  /** Leaves `id` as the only enabled admin (the caller's token keeps its admin role regardless). */
  const onlyAdmin = async (id: string) => {
    await t.handle.db.update(users).set({ role: 'admin', disabled: false }).where(eq(users.id, id));
    await t.handle.db
      .update(users)
      .set({ role: 'viewer' })
      .where(and(eq(users.role, 'admin'), ne(users.id, id)));
  };
  let admin: { id: string };
  beforeEach(async () => {
    admin = await createAdmin();
    await onlyAdmin(admin.id);
  });

  it('Should refuse to demote or disable the only enabled admin with 409', async () => {
    for (const res of [await patch(admin.id, { role: 'editor' }), await patch(admin.id, { disabled: true })]) {
      expect(res.status).toBe(409);
      expect((await res.json()).detail).toMatch(/no enabled admin/);
    }
    const row = await (await t.request(`/api/v1/users/${admin.id}`)).json();
    expect(row).toMatchObject({ role: 'admin', disabled: false });
    // Changes that keep an enabled admin pass.
    expect((await patch(admin.id, { name: 'Still admin', role: 'admin', disabled: false })).status).toBe(200);
  });

  it('Should not count a disabled admin: with one enabled and one disabled, the enabled one stays', async () => {
    const other = await createAdmin();
    expect((await patch(other.id, { disabled: true })).status).toBe(200);
    expect((await patch(admin.id, { role: 'viewer' })).status).toBe(409);
  });

  it('Should let the first of two admins be demoted and refuse the second', async () => {
    const second = await createAdmin();
    expect((await patch(admin.id, { role: 'editor' })).status).toBe(200);
    expect((await patch(second.id, { role: 'editor' })).status).toBe(409);
    expect((await patch(second.id, { disabled: true })).status).toBe(409);
  });

  it('Should let exactly one of two concurrent demotions of the last two admins succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await createAdmin();
      await onlyAdmin(first.id);
      const second = await createAdmin();
      const statuses = await Promise.all([
        patch(first.id, { role: 'viewer' }).then((r) => r.status),
        patch(second.id, { disabled: true }).then((r) => r.status),
      ]);
      // A demotion (200) and a disable (204) race: one of them, either, must be refused.
      expect(statuses.filter((s) => s === 409)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200 || s === 204)).toHaveLength(1);
      const enabledAdmins = await t.handle.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
      expect(enabledAdmins).toHaveLength(1);
    }
  });
});
