import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, auditLogs } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';
import { grantable } from './api-keys.handlers.ts';

describe.skipIf(backend.skip)(`API keys API [${backend.label}]`, () => {
  const t = useTestApp();

  const create = async (body: Record<string, unknown> = {}, as: 'admin' | 'admin-key' = 'admin') => {
    const res = await t.request('/api/v1/api-keys', { method: 'POST', json: { name: unique('key'), ...body }, as });
    expect(res.status).toBe(201);
    return res.json();
  };
  const withKey = (key: string, path = '/api/v1/items?limit=1') =>
    t.request(path, { headers: { authorization: `Bearer ${key}` } });
  const revoke = (id: string) => t.request(`/api/v1/api-keys/${id}`, { method: 'DELETE' });

  it('Should create a key shown once, stored only as its SHA-256', async () => {
    const created = await create({ role: 'editor' });
    expect(created.key).toMatch(/^ep_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ role: 'editor', prefix: created.key.slice(0, 10), revokedAt: null });
    expect(created.createdBy).toEqual(expect.any(String));
    const [row] = await t.handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.keyHash).not.toContain(created.key);
    const list = await (await t.request('/api/v1/api-keys')).json();
    const { key, ...listed } = created;
    expect(list.data).toContainEqual(listed);
    expect(JSON.stringify(list)).not.toContain(key);
    expect(JSON.stringify(list)).not.toContain(row?.keyHash);
  });

  it('Should authenticate with the key as a Bearer token, then refuse it once revoked', async () => {
    const { id, key } = await create({ role: 'viewer' });
    expect((await withKey(key)).status).toBe(200);
    const me = await (await withKey(key, '/api/v1/auth/me')).json();
    expect(me).toMatchObject({ type: 'api_key', id, role: 'viewer' });
    // The key's role applies: a viewer key cannot write.
    const write = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: 'x' },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(write.status).toBe(403);
    expect((await revoke(id)).status).toBe(204);
    const refused = await withKey(key);
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toMatch(/API key/);
    const listed = (await (await t.request('/api/v1/api-keys')).json()).data.find((k: { id: string }) => k.id === id);
    expect(listed.revokedAt).toEqual(expect.any(String));
    expect((await revoke(id)).status).toBe(204);
    expect((await revoke(crypto.randomUUID())).status).toBe(404);
  });

  it('Should let an admin key create keys, recorded without a creating user', async () => {
    const created = await create({ role: 'admin' }, 'admin-key');
    expect(created.createdBy).toBeNull();
    expect((await withKey(created.key, '/api/v1/api-keys')).status).toBe(200);
  });

  it("Should never grant a role above the caller's", () => {
    expect(grantable('admin', 'admin')).toBe(true);
    expect(grantable('editor', 'viewer')).toBe(true);
    expect(grantable('editor', 'admin')).toBe(false);
    expect(grantable('viewer', 'editor')).toBe(false);
  });

  it('Should reject bad input with 422 naming each field', async () => {
    const res = await t.request('/api/v1/api-keys', { method: 'POST', json: { name: '', role: 'root' } });
    expect(res.status).toBe(422);
    const fields = (await res.json()).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'role']));
    expect((await t.request('/api/v1/api-keys/nope', { method: 'DELETE' })).status).toBe(422);
  });

  it('Should audit creation and revocation, never the key or its hash', async () => {
    const { id, key } = await create();
    await revoke(id);
    const rows = (await t.handle.db.select().from(auditLogs).where(eq(auditLogs.entityId, id))).sort(
      (a, b) => a.id - b.id,
    );
    expect(rows.map((r) => [r.action, r.entityType])).toEqual([
      ['api_key.created', 'api_key'],
      ['api_key.revoked', 'api_key'],
    ]);
    expect(rows[1]?.before).toMatchObject({ revokedAt: null });
    expect(rows[1]?.after).toMatchObject({ revokedAt: expect.any(String) });
    const [row] = await t.handle.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(JSON.stringify(rows)).not.toContain(row?.keyHash);
  });
});
