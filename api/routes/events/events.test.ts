import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createChangeSignal } from '../../../core/change-signal.ts';
import { CHANGES_CHANNEL } from '../../../db/queries/feed.ts';
import { backend, testConfig, unique, useTestApp } from '../../../test/support/harness.ts';
import { readSse } from '../../../test/support/sse.ts';
import type { ChangeEvent } from './events.schemas.ts';

const config = testConfig({
  FEED_POLL_INTERVAL_MS: '50',
  FEED_HEARTBEAT_SECONDS: '1',
  FEED_MAX_STREAMS_PER_CALLER: '2',
  FEED_MAX_STREAM_SECONDS: '10',
});

describe.skipIf(backend.skip)(`GET /api/v1/events [${backend.label}]`, () => {
  const t = useTestApp({ config });
  const streams: Array<ReturnType<typeof readSse>> = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) await stream.close();
  });
  async function open(path = '/api/v1/events', init: Parameters<typeof t.request>[1] = {}) {
    const res = await t.request(path, init);
    expect(res.status, await (res.status === 200 ? Promise.resolve('') : res.clone().text())).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = readSse(res);
    streams.push(stream);
    const ready = await stream.next();
    expect(ready).toMatchObject({ event: 'ready', retry: 3000 });
    return { stream, ready: ready as NonNullable<typeof ready> };
  }
  const createItem = async (title: string) => {
    const res = await t.request('/api/v1/items', { method: 'POST', json: { title } });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; title: string };
  };
  const payload = (data: string) => JSON.parse(data) as ChangeEvent;

  it('Should stream a change made through the API, with the item in its API shape', async () => {
    const { stream } = await open('/api/v1/events?types=item.*', { as: 'viewer' });
    const item = await createItem(unique('live'));
    const [event] = await stream.collect((m) => m.event === 'item.created' && payload(m.data).entityId === item.id);
    const received = payload((event as { data: string }).data);
    expect(received).toMatchObject({ type: 'item.created', entityType: 'item', entityId: item.id, actorType: 'user' });
    expect(received.data).toMatchObject({ id: item.id, title: item.title, version: 1, status: 'pending' });
    expect(String(received.id)).toBe((event as { id: string }).id);
  });

  it('Should resume after Last-Event-ID with nothing lost and nothing repeated', async () => {
    const first = await open();
    const a = await createItem(unique('before disconnect'));
    const [seen] = (await first.stream.collect((m) => payload(m.data ?? '{}').entityId === a.id)).slice(-1);
    await first.stream.close();
    // Changed while nobody listened.
    const b = await createItem(unique('while away'));
    const c = await createItem(unique('while away'));
    const again = await open('/api/v1/events', { headers: { 'last-event-id': (seen as { id: string }).id } });
    const replay = await again.stream.collect((m) => m.event !== 'ready' && payload(m.data).entityId === c.id);
    const ids = replay.map((m) => payload(m.data).entityId);
    expect(ids).toEqual([b.id, c.id]);
    expect(ids).not.toContain(a.id);
  });

  it("Should not carry admin-only events on a viewer's stream, and refuse to follow them", async () => {
    const viewer = await open('/api/v1/events', { as: 'viewer' });
    const admin = await open('/api/v1/events?types=user.*,item.*', { as: 'admin' });
    const email = `${unique('feed')}@test.local`;
    const invited = await t.request('/api/v1/users', { method: 'POST', json: { email, name: 'Feed User' } });
    expect(invited.status).toBe(201);
    const marker = await createItem(unique('after the invite'));
    const adminSaw = await admin.stream.collect(
      (m) => m.event === 'item.created' && payload(m.data).entityId === marker.id,
    );
    expect(adminSaw.map((m) => m.event)).toContain('user.created');
    const userEvent = adminSaw.find((m) => m.event === 'user.created');
    expect(JSON.stringify(userEvent)).not.toMatch(/passwordHash|pbkdf2/);
    const viewerSaw = await viewer.stream.collect(
      (m) => m.event === 'item.created' && payload(m.data).entityId === marker.id,
    );
    expect(viewerSaw.map((m) => payload(m.data).entityType)).not.toContain('user');
    const refused = await t.request('/api/v1/events?types=user.*', { as: 'viewer' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('users:manage');
  });

  it('Should answer bad input with 422 naming the field, and no credentials with 401', async () => {
    const badType = await t.request('/api/v1/events?types=items', {});
    expect(badType.status).toBe(422);
    expect(JSON.stringify(await badType.json())).toContain('types');
    const unknown = await t.request('/api/v1/events?types=widget.*', {});
    expect(unknown.status).toBe(422);
    const noSuchEvent = await t.request('/api/v1/events', { headers: { 'last-event-id': '999999999' } });
    expect(noSuchEvent.status).toBe(422);
    expect(JSON.stringify(await noSuchEvent.json())).toContain('last-event-id');
    expect((await t.request('/api/v1/events', { as: 'anonymous' })).status).toBe(401);
  });

  it('Should close a stream at its longest life with an end event saying to reconnect', async () => {
    const { stream } = await open('/api/v1/events', { as: 'viewer' });
    // FEED_MAX_STREAM_SECONDS is 10 here (its least).
    const ended = await stream.collect((m) => m.event === 'end', 12_000);
    expect(ended.at(-1)).toMatchObject({ event: 'end', retry: 3000, data: '{"reason":"reconnect"}' });
    expect(await stream.next(1_000)).toBeUndefined();
    expect(stream.ended).toBe(true);
  }, 20_000);

  it('Should refuse a stream over the per-caller limit, and keep idle streams alive with comments', async () => {
    const one = await open('/api/v1/events', { as: 'editor' });
    await open('/api/v1/events', { as: 'editor' });
    const third = await t.request('/api/v1/events', { as: 'editor' });
    expect(third.status).toBe(429);
    expect(((await third.json()) as { detail: string }).detail).toMatch(/at most 2/);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await one.stream.next(200);
    expect(one.stream.comments).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(backend.skip)(`GET /api/v1/events after retention purged the trail [${backend.label}]`, () => {
  const t = useTestApp({ config }, { isolated: true });

  it('Should tell a client resuming from a purged event to reload, then end', async () => {
    const create = (title: string) => t.request('/api/v1/items', { method: 'POST', json: { title } });
    expect((await create(unique('purged'))).status).toBe(201);
    const [row] = await t.handle.queryRows<{ id: string }>('SELECT max(id) AS id FROM audit_logs');
    const purged = Number(row?.id);
    // What the retention job does to rows past their age.
    await t.handle.runAtomic([`DELETE FROM audit_logs WHERE id <= ${purged}`]);
    expect((await create(unique('kept'))).status).toBe(201);
    const res = await t.request('/api/v1/events', { headers: { 'last-event-id': String(purged) } });
    expect(res.status).toBe(200);
    const stream = readSse(res);
    const first = await stream.next();
    expect(first).toMatchObject({ event: 'reset', retry: 3000 });
    expect(first?.data).toContain('older than the retention');
    expect(await stream.next()).toBeUndefined();
    expect(stream.ended).toBe(true);
  });

  it('Should end a stream whose database fails, without its error text, so the client reconnects', async () => {
    const res = await t.request('/api/v1/events', { as: 'viewer' });
    const stream = readSse(res);
    expect((await stream.next())?.event).toBe('ready');
    await t.handle.runAtomic(['ALTER TABLE audit_logs RENAME TO audit_logs_away']);
    try {
      const end = await stream.collect((m) => m.event === 'end');
      expect(end.at(-1)?.data).toBe('{"reason":"unavailable"}');
      expect(JSON.stringify(end)).not.toMatch(/select|audit_logs/i);
    } finally {
      await t.handle.runAtomic(['ALTER TABLE audit_logs_away RENAME TO audit_logs']);
      await stream.close();
    }
  });
});

describe.skipIf(backend.skip)(`GET /api/v1/events woken by LISTEN/NOTIFY [${backend.label}]`, () => {
  // A poll so slow that only the notification can deliver within the test's wait.
  const slow = testConfig({ FEED_POLL_INTERVAL_MS: '60000' });
  const changes = createChangeSignal();
  const t = useTestApp({ config: slow, changes });
  let unlisten: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    unlisten = await t.handle.listen?.(CHANGES_CHANNEL, () => changes.notify());
  });
  afterAll(async () => {
    await unlisten?.();
  });

  it('Should deliver a commit at once, not at the next poll', async () => {
    expect(t.handle.listen, 'pg and PGlite can LISTEN').toBeDefined();
    const res = await t.request('/api/v1/events?types=item.created', { as: 'viewer' });
    const stream = readSse(res);
    try {
      expect((await stream.next())?.event).toBe('ready');
      const created = await t.request('/api/v1/items', { method: 'POST', json: { title: unique('notified') } });
      const { id } = (await created.json()) as { id: string };
      const started = Date.now();
      const seen = await stream.collect((m) => m.data.includes(id), 5_000);
      expect(seen.at(-1)?.event).toBe('item.created');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await stream.close();
    }
  });
});

describe.skipIf(backend.skip)(`GET /api/v1/events with a client that stops reading [${backend.label}]`, () => {
  const impatient = { ...config, feed: { ...config.feed, writeTimeoutMs: 300 } };
  const t = useTestApp({ config: impatient });

  it('Should drop the stream instead of buffering for it, and free its place', async () => {
    const res = await t.request('/api/v1/events', { as: 'viewer' });
    expect(res.status).toBe(200);
    // Nothing reads the body while changes pile up.
    for (let i = 0; i < 3; i++) {
      expect((await t.request('/api/v1/items', { method: 'POST', json: { title: unique('unread') } })).status).toBe(
        201,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stream = readSse(res);
    const seen: string[] = [];
    for (let m = await stream.next(2_000); m; m = await stream.next(2_000)) seen.push(m.event);
    expect(stream.ended || seen.length < 4, `dropped after ${seen.join(', ')}`).toBe(true);
    expect(seen.filter((e) => e === 'item.created').length).toBeLessThan(3);
    // Its place is free again: the caller may open its two streams.
    const again = [
      await t.request('/api/v1/events', { as: 'viewer' }),
      await t.request('/api/v1/events', { as: 'viewer' }),
    ];
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    for (const r of again) await r.body?.cancel();
  });
});
