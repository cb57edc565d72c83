import { describe, expect, it } from 'vitest';
import { auditLogs } from '../../../db/schema.ts';
import { backend, unique, useTestApp } from '../../../test/support/harness.ts';

interface Entry {
  id: number;
  action: string;
  entityType: string;
  entityId: string;
  actorId: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

describe.skipIf(backend.skip)(`audit API [${backend.label}]`, () => {
  const t = useTestApp();

  const audit = async (query: string): Promise<{ data: Entry[]; nextCursor: string | null }> => {
    const res = await t.request(`/api/v1/audit?${query}`);
    expect(res.status).toBe(200);
    return res.json();
  };
  const me = async () => (await (await t.request('/api/v1/auth/me')).json()).id as string;
  /** Audit rows written directly, at chosen instants, under an entity type of their own. */
  const seed = async (entityType: string, times: string[]) =>
    t.handle.db
      .insert(auditLogs)
      .values(
        times.map((at, i) => ({
          actorType: 'system',
          action: 'test.seeded',
          entityType,
          entityId: `e${i}`,
          createdAt: new Date(at),
        })),
      )
      .returning();

  it('Should show user, API key and item changes made through the API, attributed to the caller', async () => {
    const requestId = unique('req');
    const headers = { 'x-request-id': requestId };
    const user = await (
      await t.request('/api/v1/users', {
        method: 'POST',
        json: { email: `${unique('u')}@example.test`, name: 'Audited', password: 'long enough secret' },
        headers,
      })
    ).json();
    await t.request(`/api/v1/users/${user.id}`, { method: 'PATCH', json: { role: 'editor' }, headers });
    const key = await (await t.request('/api/v1/api-keys', { method: 'POST', json: { name: 'ci' }, headers })).json();
    const item = await (
      await t.request('/api/v1/items', { method: 'POST', json: { title: 'audited' }, headers })
    ).json();
    const page = await audit(`actorType=user&actorId=${await me()}&limit=100`);
    const mine = page.data.filter((e) => [user.id, key.id, item.id].includes(e.entityId));
    expect(mine.map((e) => e.action)).toEqual(['item.created', 'api_key.created', 'user.updated', 'user.created']);
    expect(mine.every((e) => (e as unknown as { requestId: string }).requestId === requestId)).toBe(true);
    expect(JSON.stringify(mine)).not.toMatch(/passwordHash|keyHash|pbkdf2/);
    expect(mine[2]).toMatchObject({ before: { role: 'viewer' }, after: { role: 'editor' } });
  });

  it('Should filter by exact action, by action prefix and by entity', async () => {
    const user = await (
      await t.request('/api/v1/users', {
        method: 'POST',
        json: { email: `${unique('u')}@example.test`, name: 'Filtered' },
      })
    ).json();
    await t.request(`/api/v1/users/${user.id}`, { method: 'PATCH', json: { disabled: true } });
    const entity = await audit(`entityType=user&entityId=${user.id}`);
    expect(entity.data.map((e) => e.action)).toEqual(['user.disabled', 'user.created']);
    const prefix = await audit('action=user.*&limit=100');
    expect(prefix.data.length).toBeGreaterThan(0);
    expect(prefix.data.every((e) => e.action.startsWith('user.'))).toBe(true);
    const exact = await audit(`action=user.disabled&entityId=${user.id}`);
    expect(exact.data.map((e) => e.action)).toEqual(['user.disabled']);
    expect((await audit(`action=user&entityId=${user.id}`)).data).toEqual([]);
  });

  it('Should filter by time range: from inclusive, to exclusive', async () => {
    const type = unique('range');
    await seed(type, ['2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', '2020-01-03T00:00:00Z']);
    const page = await audit(`entityType=${type}&from=2020-01-02T00:00:00Z&to=2020-01-03T00:00:00Z`);
    expect(page.data.map((e) => e.entityId)).toEqual(['e1']);
    const open = await audit(`entityType=${type}&from=2020-01-01T12:00:00%2B00:00`);
    expect(open.data.map((e) => e.entityId)).toEqual(['e2', 'e1']);
  });

  it('Should paginate newest first without repeats or gaps, ties broken by id', async () => {
    const type = unique('page');
    const same = '2021-06-01T00:00:00.000Z';
    const rows = await seed(type, [same, same, same, '2021-06-02T00:00:00Z', '2021-05-01T00:00:00Z']);
    const expected = [...rows]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
      .map((r) => r.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Entry[]; nextCursor: string | null } = await audit(
        `entityType=${type}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('Should reject bad filters with 422 naming them, and a foreign cursor with 400', async () => {
    const res = await t.request('/api/v1/audit?action=DROP%20TABLE&from=yesterday&actorType=robot&limit=0');
    expect(res.status).toBe(422);
    const fields = (await res.json()).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['action', 'from', 'actorType', 'limit']));
    const yearZero = await t.request('/api/v1/audit?from=0000-01-01T00:00:00Z&to=0001-01-01T00:00:00%2B01:00');
    expect(yearZero.status).toBe(422);
    expect((await yearZero.json()).errors.map((e: { field: string }) => e.field)).toEqual(['from', 'to']);
    const reversed = await t.request('/api/v1/audit?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z');
    expect(reversed.status).toBe(422);
    expect((await t.request('/api/v1/audit?cursor=garbage')).status).toBe(400);
  });
});
