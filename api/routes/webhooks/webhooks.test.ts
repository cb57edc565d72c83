import { eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { auditLogs, webhooks } from '../../../db/schema.ts';
import { backend, TEST_JWT_KEYS, unique, useTestApp } from '../../../test/support/harness.ts';

describe.skipIf(backend.skip)(`webhooks API [${backend.label}]`, () => {
  // Isolated: an active subscription on a shared database would fan out other files' item changes.
  const t = useTestApp({}, { isolated: true });
  const created: string[] = [];
  afterAll(async () => {
    if (created.length) await t.handle.db.delete(webhooks).where(inArray(webhooks.id, created));
  });

  const url = () => `https://example.com/hooks/${unique('h')}`;
  const post = (json: unknown, headers: Record<string, string> = {}) =>
    t.request('/api/v1/webhooks', { method: 'POST', json, headers });
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await post({ url: url(), events: ['item.created'], ...body });
    expect(res.status).toBe(201);
    const webhook = await res.json();
    created.push(webhook.id);
    return webhook;
  };
  const patch = (id: string, json: unknown) => t.request(`/api/v1/webhooks/${id}`, { method: 'PATCH', json });
  const auditOf = (id: string) => t.handle.db.select().from(auditLogs).where(eq(auditLogs.entityId, id));
  const fields = async (res: Response) =>
    ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);

  it('Should create a webhook: 201, Location, the fields and a whsec_ secret', async () => {
    const target = url();
    const res = await post({ url: target, events: ['item.created', 'item.deleted'], description: 'CRM sync' });
    expect(res.status).toBe(201);
    const webhook = await res.json();
    created.push(webhook.id);
    expect(res.headers.get('location')).toBe(`/api/v1/webhooks/${webhook.id}`);
    expect(webhook).toMatchObject({
      url: target,
      events: ['item.created', 'item.deleted'],
      description: 'CRM sync',
      active: true,
    });
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const [row] = await t.handle.db.select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(row?.secret).toBe(webhook.secret);
  });

  it('Should show the secret only at creation: never in get, list or update', async () => {
    const webhook = await create();
    const { secret, ...rest } = webhook;
    const got = await (await t.request(`/api/v1/webhooks/${webhook.id}`)).json();
    expect(got).toEqual(rest);
    const list = await (await t.request('/api/v1/webhooks')).json();
    expect(list.data).toContainEqual(rest);
    expect(JSON.stringify(list)).not.toContain('whsec_');
    const updated = await (await patch(webhook.id, { description: 'renamed' })).json();
    expect(updated).not.toHaveProperty('secret');
    expect(JSON.stringify(await auditOf(webhook.id))).not.toContain(secret);
  });

  it('Should reject bad input with 422 naming each field, and create nothing', async () => {
    const target = url();
    const bad = await post({ url: 'ftp://example.com/x', events: [] });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(await fields(bad)).toEqual(expect.arrayContaining(['url', 'events']));
    expect(await fields(await post({ url: target, events: ['item.exploded'] }))).toEqual(['events.0']);
    expect(await fields(await post({ url: 'not a url', events: ['item.created'] }))).toEqual(['url']);
    expect(await fields(await post({ url: target, events: ['item.created'], secret: 'mine' }))).toEqual(['secret']);
    expect(await fields(await post({ events: ['item.created'] }))).toEqual(['url']);
    const rows = await t.handle.db.select().from(webhooks).where(eq(webhooks.url, target));
    expect(rows).toHaveLength(0);
  });

  it('Should update url, events, description and active, deduplicating events', async () => {
    const webhook = await create({ description: 'old' });
    const target = url();
    const res = await patch(webhook.id, {
      url: target,
      events: ['item.updated', 'item.updated', 'item.deleted'],
      description: null,
      active: false,
    });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toMatchObject({
      url: target,
      events: ['item.updated', 'item.deleted'],
      description: null,
      active: false,
    });
    expect(updated.updatedAt >= webhook.updatedAt).toBe(true);
    expect(await (await t.request(`/api/v1/webhooks/${webhook.id}`)).json()).toEqual(updated);
  });

  it('Should reject an empty or invalid patch by field, and 404 an unknown webhook', async () => {
    const webhook = await create();
    expect(await fields(await patch(webhook.id, {}))).toEqual(['(root)']);
    expect(await fields(await patch(webhook.id, { events: [], active: 'yes' }))).toEqual(
      expect.arrayContaining(['events', 'active']),
    );
    const missing = await patch(crypto.randomUUID(), { active: false });
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('not_found');
    expect((await t.request(`/api/v1/webhooks/${crypto.randomUUID()}`)).status).toBe(404);
    expect(await fields(await t.request('/api/v1/webhooks/not-a-uuid'))).toEqual(['id']);
  });

  it('Should delete: 204, then 404 on get and on a second delete', async () => {
    const webhook = await create();
    expect((await t.request(`/api/v1/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/webhooks/${webhook.id}`)).status).toBe(404);
    expect((await t.request(`/api/v1/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('Should rotate the secret, return the new one once and sign with it from then on', async () => {
    const webhook = await create();
    const res = await t.request(`/api/v1/webhooks/${webhook.id}/rotate-secret`, { method: 'POST' });
    expect(res.status).toBe(200);
    const rotated = await res.json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(webhook.secret);
    const [row] = await t.handle.db.select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(row?.secret).toBe(rotated.secret);
    const missing = await t.request(`/api/v1/webhooks/${crypto.randomUUID()}/rotate-secret`, { method: 'POST' });
    expect(missing.status).toBe(404);
  });

  it('Should audit every change with the request id, never recording the secret', async () => {
    const requestId = unique('req');
    const headers = { 'x-request-id': requestId };
    const webhook = await create();
    await t.request(`/api/v1/webhooks/${webhook.id}`, { method: 'PATCH', json: { active: false }, headers });
    await t.request(`/api/v1/webhooks/${webhook.id}/rotate-secret`, { method: 'POST', headers });
    await t.request(`/api/v1/webhooks/${webhook.id}`, { method: 'DELETE', headers });
    const rows = (await auditOf(webhook.id)).sort((a, b) => a.id - b.id);
    expect(rows.map((r) => r.action)).toEqual([
      'webhook.created',
      'webhook.updated',
      'webhook.secret_rotated',
      'webhook.deleted',
    ]);
    const [createdRow, updated, rotated, deleted] = rows;
    expect(createdRow).toMatchObject({ entityType: 'webhook', actorType: 'user', before: null });
    expect(createdRow?.after).toMatchObject({ id: webhook.id, url: webhook.url, active: true });
    expect(updated).toMatchObject({ requestId, before: { active: true }, after: { active: false } });
    expect(rotated?.requestId).toBe(requestId);
    expect(deleted).toMatchObject({ requestId, before: { id: webhook.id, url: webhook.url }, after: null });
    for (const row of rows) {
      expect(row.before ?? {}).not.toHaveProperty('secret');
      expect(row.after ?? {}).not.toHaveProperty('secret');
    }
  });

  it('Should document the webhook routes under the Webhooks tag', async () => {
    const doc = await (await t.request('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/rotate-secret']),
    );
    expect(doc.paths['/api/v1/webhooks'].post.tags).toEqual(['Webhooks']);
    expect(doc.paths['/api/v1/webhooks'].post.responses['422']).toBeDefined();
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toContain('Webhooks');
  });
});

describe.skipIf(backend.skip)(`webhooks in production: private targets refused [${backend.label}]`, () => {
  const t = useTestApp({
    config: parseConfig({
      APP_ENV: 'production',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'silent',
      JWT_SIGNING_KEYS: TEST_JWT_KEYS,
    }),
  });

  it.each([
    'http://127.0.0.1:9000/hook',
    'http://169.254.169.254/latest',
    'http://localhost/hook',
    'http://10.0.0.8/x',
  ])('Should refuse %s as a target, naming url', async (url) => {
    const res = await t.request('/api/v1/webhooks', { method: 'POST', json: { url, events: ['item.created'] } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0]).toMatchObject({ field: 'url', in: 'body' });
  });

  it('Should accept a public target', async () => {
    const res = await t.request('/api/v1/webhooks', {
      method: 'POST',
      json: { url: 'https://hooks.example.com/edgeplane', events: ['item.created'], active: false },
    });
    expect(res.status).toBe(201);
  });
});
