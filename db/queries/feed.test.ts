import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, unique, useIsolatedDatabase } from '../../test/support/harness.ts';
import type { AuditContext } from './audit.ts';
import { feedFilter, feedHead, feedPosition, olderThanRetention, readFeed } from './feed.ts';
import { createItem, updateItem } from './items.ts';

const SYSTEM: AuditContext = { actorType: 'system', actorId: 'feed-test', requestId: null };

describe.skipIf(backend.skip)(`the change feed's reads [${backend.label}]`, () => {
  const ref = useIsolatedDatabase();

  it('Should read the changes after a position, oldest first, filtered by action and entity', async () => {
    const { db } = ref.handle;
    const head = await feedHead(db);
    const a = await createItem(db, { title: unique('feed a') }, SYSTEM);
    const b = await createItem(db, { title: unique('feed b') }, SYSTEM);
    await updateItem(db, a.item.id, 'any', { status: 'done' }, SYSTEM);
    const all = await readFeed(db, { after: head, limit: 10 });
    expect(all.map((e) => [e.action, e.entityId])).toEqual([
      ['item.created', a.item.id],
      ['item.created', b.item.id],
      ['item.updated', a.item.id],
    ]);
    const updates = all.filter(feedFilter({ actions: ['item.updated'], entityTypes: ['item'] }));
    expect(updates.map((e) => e.entityId)).toEqual([a.item.id]);
    expect(all.filter(feedFilter({ actions: ['item.*'], entityTypes: ['job'] }))).toEqual([]);
    expect(all.filter(feedFilter({ entityTypes: ['item'] }))).toHaveLength(3);
    expect(all.filter(feedFilter({ actions: ['item.*', 'job.created'], entityTypes: ['item', 'job'] }))).toHaveLength(
      3,
    );
    // Resuming after the first event gives the rest, and the head moves past all of them.
    const first = all[0];
    if (!first) throw new Error('no first event');
    const position = await feedPosition(db, first.id);
    expect(position).toEqual({ xactId: first.xactId, id: first.id });
    const rest = await readFeed(db, { after: position as NonNullable<typeof position>, limit: 10 });
    expect(rest.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
    expect(await readFeed(db, { after: await feedHead(db), limit: 10 })).toEqual([]);
    expect(await feedPosition(db, 987_654_321)).toBeUndefined();
    expect(await olderThanRetention(db, 0)).toBe(true);
    expect(await olderThanRetention(db, first.id)).toBe(false);
  });
});

/**
 * Two transactions committing out of order, on a real Postgres (PGlite runs one
 * transaction at a time). `bigserial` ids are taken at insert: a reader that resumes
 * with "id > last seen" loses the row whose transaction commits last.
 */
describe.skipIf(backend.name !== 'postgres')('the change feed with transactions committing out of order', () => {
  const ref = useIsolatedDatabase();
  const clients: pg.Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => {});
  });
  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: ref.url });
    await client.connect();
    clients.push(client);
    return client;
  }
  const insertRow = async (client: pg.Client, entityId: string): Promise<number> => {
    const { rows } = await client.query<{ id: string }>(
      "insert into audit_logs (actor_type, action, entity_type, entity_id) values ('system', 'item.updated', 'item', $1) returning id",
      [entityId],
    );
    return Number(rows[0]?.id);
  };
  /** What the feed has after `after` once `want` rows show (other databases' transactions may hold xmin a moment). */
  async function readUntil(after: Parameters<typeof readFeed>[1]['after'], want: number) {
    for (const deadline = Date.now() + 5_000; ; ) {
      const events = await readFeed(ref.handle.db, { after, limit: 10 });
      if (events.length >= want || Date.now() > deadline) return events;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('Should not show a later transaction while an earlier one is open, then show both in order', async () => {
    const [t1, t2] = [await connect(), await connect()];
    const head = await feedHead(ref.handle.db);
    await t1.query('begin');
    const a = await insertRow(t1, 'first-begun');
    await t2.query('begin');
    const b = await insertRow(t2, 'second-begun');
    await t2.query('commit');
    // b is committed, but a transaction below it is still open: the feed waits.
    expect(await readFeed(ref.handle.db, { after: head, limit: 10 })).toEqual([]);
    await t1.query('commit');
    const events = await readUntil(head, 2);
    expect(events.map((e) => e.id)).toEqual([a, b]);
  });

  it('Should deliver a row with a lower id whose transaction commits after a higher one was read', async () => {
    const [t1, t2] = [await connect(), await connect()];
    const head = await feedHead(ref.handle.db);
    // t2 takes its transaction id first, then t1 inserts (lower audit id), then t2 (higher id).
    await t2.query('begin');
    await t2.query('select pg_current_xact_id()');
    await t1.query('begin');
    const low = await insertRow(t1, 'commits-late');
    const high = await insertRow(t2, 'commits-early');
    expect(low).toBeLessThan(high);
    await t2.query('commit');
    const seen = await readUntil(head, 1);
    expect(seen.map((e) => e.id)).toEqual([high]);
    await t1.query('commit');
    const last = seen[0] as (typeof seen)[number];
    const next = await readUntil({ xactId: last.xactId, id: last.id }, 1);
    // "id > last seen" would have skipped it for good.
    expect(next.map((e) => e.id)).toEqual([low]);
    expect(low).toBeLessThan(last.id);
  });
});
