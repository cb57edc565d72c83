import { describe, expect, it } from 'vitest';
import { retentionSettings } from '../../../db/queries/retention.ts';
import { backend, useTestApp } from '../../../test/support/harness.ts';

// Isolated: settings are instance-wide, and these tests assert which keys are set.
describe.skipIf(backend.skip)(`settings API [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  const put = (key: string, json: unknown, as: 'admin' | 'viewer' = 'admin') =>
    t.request(`/api/v1/settings/${key}`, { method: 'PUT', json, as });
  const reset = (key: string) => t.request(`/api/v1/settings/${key}`, { method: 'DELETE' });
  const all = async (as: 'admin' | 'viewer' = 'admin') =>
    (await (await t.request('/api/v1/settings', { as })).json()).data as { key: string; set: boolean }[];
  const fields = async (res: Response) => {
    expect(res.status).toBe(422);
    return ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
  };

  it('Should list every key with its default, none set, to viewers too', async () => {
    const settings = await all('viewer');
    expect(settings.map((s) => s.key)).toEqual([
      'app.name',
      'items.defaultPriority',
      'retention.auditDays',
      'retention.deletedItemsDays',
      'retention.finishedJobsDays',
    ]);
    expect(settings.every((s) => !s.set)).toBe(true);
    expect(settings[0]).toMatchObject({
      value: 'Edgeplane',
      default: 'Edgeplane',
      label: 'Workspace name',
      updatedAt: null,
    });
    const audit = settings.find((s) => s.key === 'retention.auditDays');
    expect(audit).toMatchObject({ value: t.deps.config.retention.auditDays });
  });

  it("Should describe each value's type as JSON Schema, so clients need no copy of the table", async () => {
    const schemas = Object.fromEntries(
      ((await all()) as unknown as { key: string; schema: Record<string, unknown> }[]).map((s) => [s.key, s.schema]),
    );
    expect(schemas['app.name']).toMatchObject({ type: 'string', minLength: 1, maxLength: 80 });
    expect(schemas['items.defaultPriority']).toMatchObject({
      type: 'string',
      enum: ['low', 'medium', 'high', 'urgent'],
    });
    expect(schemas['retention.auditDays']).toMatchObject({ type: 'integer', exclusiveMinimum: 0, maximum: 36_500 });
    expect(schemas['app.name']).not.toHaveProperty('$schema');
  });

  it('Should set a value, show it in force, and reset it to the default', async () => {
    const res = await put('app.name', { value: '  Acme Ops  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ key: 'app.name', value: 'Acme Ops', default: 'Edgeplane', set: true });
    expect((await put('app.name', { value: 'Acme' })).status).toBe(200);
    expect((await all()).find((s) => s.key === 'app.name')).toMatchObject({ value: 'Acme', set: true });
    expect((await reset('app.name')).status).toBe(204);
    expect((await all()).find((s) => s.key === 'app.name')).toMatchObject({ value: 'Edgeplane', set: false });
    expect((await reset('app.name')).status).toBe(204);
    expect((await put('items.defaultPriority', { value: 'high' })).status).toBe(200);
  });

  it("Should check each value against its key's type with 422 naming value", async () => {
    expect(await fields(await put('app.name', { value: '' }))).toEqual(['value']);
    expect(await fields(await put('app.name', { value: 'x'.repeat(81) }))).toEqual(['value']);
    expect(await fields(await put('app.name', { value: 42 }))).toEqual(['value']);
    expect(await fields(await put('items.defaultPriority', { value: 'whenever' }))).toEqual(['value']);
    for (const value of [0, -3, 1.5, '30', null]) {
      expect(await fields(await put('retention.auditDays', { value }))).toEqual(['value']);
    }
    expect(await fields(await put('app.name', {}))).toEqual(['value']);
    expect(await fields(await put('app.name', { value: 'ok', extra: 1 }))).toEqual(['extra']);
  });

  it('Should answer 404 for an unknown key and 403 to a viewer writing', async () => {
    const res = await put('app.colour', { value: 'red' });
    expect(res.status).toBe(404);
    expect((await res.json()).detail).toContain('app.colour');
    expect((await reset('nope')).status).toBe(404);
    expect((await put('app.name', { value: 'x' }, 'viewer')).status).toBe(403);
  });

  it('Should change what the retention cleanup reads', async () => {
    const defaults = t.deps.config.retention;
    expect(await retentionSettings(t.handle.db, defaults)).toEqual(defaults);
    expect((await put('retention.auditDays', { value: 7 })).status).toBe(200);
    expect((await put('retention.finishedJobsDays', { value: 3 })).status).toBe(200);
    expect(await retentionSettings(t.handle.db, defaults)).toEqual({ ...defaults, auditDays: 7, finishedJobsDays: 3 });
    await reset('retention.auditDays');
    await reset('retention.finishedJobsDays');
    expect(await retentionSettings(t.handle.db, defaults)).toEqual(defaults);
  });

  it('Should audit each change with the value before and after, readable at /api/v1/audit', async () => {
    await put('items.defaultPriority', { value: 'high' });
    await put('items.defaultPriority', { value: 'low' });
    await put('items.defaultPriority', { value: 'urgent' });
    await reset('items.defaultPriority');
    await reset('items.defaultPriority');
    const page = await (await t.request('/api/v1/audit?entityType=setting&entityId=items.defaultPriority')).json();
    const changes = page.data
      .slice(0, 3)
      .reverse()
      .map((e: { action: string; before: { value: string; set: boolean }; after: { value: string } }) => [
        e.action,
        e.before.value,
        e.after.value,
      ]);
    expect(changes).toEqual([
      ['settings.updated', 'high', 'low'],
      ['settings.updated', 'low', 'urgent'],
      ['settings.updated', 'urgent', 'medium'],
    ]);
    expect(page.data[2].actorType).toBe('user');
  });
});
