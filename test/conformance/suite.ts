import { beforeAll, describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from '../support/sse.ts';
import { type Credentials, conformanceClient } from './client.ts';
import { workflowTests } from './suite-workflows.ts';

export type { Credentials };

/**
 * The black-box HTTP suite: plain fetch against a base URL, no imports of app
 * internals. Every runtime entry must pass it unchanged.
 */
export function conformanceSuite(name: string, baseUrl: () => string, credentials: () => Credentials): void {
  const client = conformanceClient(baseUrl);
  const { send, tag, create, session } = client;

  describe(`conformance: ${name}`, () => {
    beforeAll(async () => {
      const res = await client.signIn(credentials());
      expect(res.status, 'sign-in with the configured admin').toBe(200);
      const signedIn = await res.json();
      session.token = signedIn.accessToken;
      session.refreshToken = signedIn.refreshToken;
    });

    it('Should rotate the refresh token once, refusing it the second time', async () => {
      const refresh = (value: string) =>
        send('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken: value }, anonymous: true });
      const rotated = await refresh(session.refreshToken);
      expect(rotated.status).toBe(200);
      const next = await rotated.json();
      expect(next.refreshToken).not.toBe(session.refreshToken);
      expect((await refresh(session.refreshToken)).status).toBe(401);
      session.token = next.accessToken;
    });

    it('Should refuse the API without credentials, and say who is signed in with them', async () => {
      const anonymous = await send('/api/v1/items', { anonymous: true });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
      const me = await (await send('/api/v1/auth/me')).json();
      expect(me).toMatchObject({ type: 'user', role: 'admin', user: { email: credentials().email } });
    });

    it('Should refuse a wrong password with the same answer as an unknown email', async () => {
      const wrong = await send('/api/v1/auth/login', {
        method: 'POST',
        json: { ...credentials(), password: `${credentials().password}x` },
        anonymous: true,
      });
      const unknown = await send('/api/v1/auth/login', {
        method: 'POST',
        json: { email: `nobody-${crypto.randomUUID()}@example.test`, password: 'whatever-password' },
        anonymous: true,
      });
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect((await wrong.json()).detail).toBe((await unknown.json()).detail);
    });

    it('Should be live and ready with the database up', async () => {
      expect((await send('/health/live')).status).toBe(200);
      const ready = await send('/health/ready');
      expect(ready.status).toBe(200);
      expect((await ready.json()).checks.database.status).toBe('up');
    });

    it('Should serve the OpenAPI document and the reference page', async () => {
      const doc = await (await send('/openapi.json')).json();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/api/v1/items']).toBeDefined();
      const docs = await send('/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
    });

    it('Should stream a change on the change feed, and resume after Last-Event-ID losing nothing', async () => {
      const open = async (lastEventId?: string) => {
        const res = await send('/api/v1/events?types=item.*', {
          headers: lastEventId ? { 'last-event-id': lastEventId } : {},
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const stream = readSse(res);
        expect((await stream.next(10_000))?.event).toBe('ready');
        return stream;
      };
      const mentions = (id: string) => (m: SseMessage) => m.data.includes(id);
      const live = await open();
      const { item: first } = await create({ title: `feed ${tag()}` });
      const seen = await live.collect(mentions(first.id), 15_000);
      const last = seen.at(-1) as SseMessage;
      expect(last.event).toBe('item.created');
      expect(JSON.parse(last.data)).toMatchObject({ entityId: first.id, data: { title: first.title } });
      await live.close();
      const { item: missed } = await create({ title: `missed ${tag()}` });
      const resumed = await open(last.id);
      const replay = await resumed.collect(mentions(missed.id), 15_000);
      expect(replay.filter(mentions(first.id))).toEqual([]);
      expect(replay.at(-1)?.event).toBe('item.created');
      await resumed.close();
    });

    it('Should answer an unknown route with a 404 problem carrying the request id', async () => {
      const res = await send('/api/v1/unknown', { headers: { 'x-request-id': 'conformance-1' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('x-request-id')).toBe('conformance-1');
      expect(await res.json()).toMatchObject({ code: 'not_found', requestId: 'conformance-1' });
    });

    it('Should create an item and read it back at its Location, with ETag and 304', async () => {
      const { res, item } = await create({ title: `Conformance ${tag()}`, priority: 'high', tags: ['conformance'] });
      const location = res.headers.get('location') as string;
      expect(location).toBe(`/api/v1/items/${item.id}`);
      const read = await send(location);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(item);
      const etag = read.headers.get('etag') as string;
      expect(etag).toBe('"1"');
      expect((await send(location, { headers: { 'if-none-match': etag } })).status).toBe(304);
    });

    it('Should find an item by search and page a tag with cursors', async () => {
      const t = tag();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await create({ title: `Searchable ${t} ${i}`, tags: [t] })).item.id);
      const found = await (await send(`/api/v1/items?q=${encodeURIComponent(`searchable ${t}`)}`)).json();
      expect(found.data).toHaveLength(3);
      const first = await (await send(`/api/v1/items?tag=${t}&limit=2`)).json();
      const second = await (await send(`/api/v1/items?tag=${t}&limit=2&cursor=${first.nextCursor}`)).json();
      expect([...first.data, ...second.data].map((i: { id: string }) => i.id)).toEqual(ids.reverse());
      expect(second.nextCursor).toBeNull();
    });

    it('Should update with If-Match, refuse a stale one with 412, and require one (428)', async () => {
      const { item } = await create({ title: `Patch ${tag()}` });
      const path = `/api/v1/items/${item.id}`;
      const ok = await send(path, { method: 'PATCH', json: { status: 'done' }, headers: { 'if-match': '"1"' } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('etag')).toBe('"2"');
      const stale = await send(path, { method: 'PATCH', json: { status: 'archived' }, headers: { 'if-match': '"1"' } });
      expect(stale.status).toBe(412);
      expect((await stale.json()).code).toBe('precondition_failed');
      expect((await send(path, { method: 'PATCH', json: { status: 'archived' } })).status).toBe(428);
      expect(await (await send(path)).json()).toMatchObject({ status: 'done', version: 2 });
    });

    it('Should reject an empty title with 422 naming the field, and malformed JSON with 400', async () => {
      const empty = await send('/api/v1/items', { method: 'POST', json: { title: '' } });
      expect(empty.status).toBe(422);
      expect((await empty.json()).errors[0]).toMatchObject({ field: 'title', in: 'body' });
      const malformed = await send('/api/v1/items', {
        method: 'POST',
        body: '{',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
    });

    it('Should run an enqueued job to completion', async () => {
      const res = await send('/api/v1/jobs', { method: 'POST', json: { type: 'cleanup' } });
      expect(res.status).toBe(202);
      const job = await client.waitForJob(res.headers.get('location') as string);
      expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(job.result.purged).toBeDefined();
    });

    it('Should soft-delete an item', async () => {
      const { item } = await create({ title: `Delete ${tag()}` });
      const path = `/api/v1/items/${item.id}`;
      expect((await send(path, { method: 'DELETE' })).status).toBe(204);
      expect((await send(path)).status).toBe(404);
    });

    it('Should serve stats: every status, the last 30 days, job durations, briefly cacheable', async () => {
      const res = await send('/api/v1/stats');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      const stats = await res.json();
      expect(Object.keys(stats.items.byStatus).sort()).toEqual(['archived', 'done', 'in_progress', 'pending']);
      expect(stats.items.createdPerDay).toHaveLength(30);
      expect(stats.items.createdPerDay.at(-1).date).toBe(stats.generatedAt.slice(0, 10));
      expect(stats.jobs.durationMs).toMatchObject({ windowDays: 7, count: expect.any(Number) });
    });

    workflowTests(client);
  });
}
