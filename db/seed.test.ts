import { and, asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { backend, useIsolatedDatabase } from '../test/support/harness.ts';
import { auditLogs, items, jobs, users } from './schema.ts';
import { holdsOtherData, isEmpty, seedDemoData } from './seed.ts';

const NOW = new Date('2026-12-03T12:00:00Z');
const DAY = 86_400_000;

describe.skipIf(backend.skip)(`the demo data [${backend.label}]`, () => {
  const ref = useIsolatedDatabase();

  it('Should seed a believable month once, and add nothing when run again', async () => {
    const { db } = ref.handle;
    expect(await isEmpty(db)).toBe(true);
    const first = await seedDemoData(db, 'pbkdf2-sha256$1$c2FsdA$aGFzaA', NOW);
    expect(first.users).toBe(5);
    expect(first.items).toBeGreaterThanOrEqual(50);
    expect(first.jobs).toBeGreaterThan(20);
    const again = await seedDemoData(db, 'pbkdf2-sha256$1$c2FsdA$aGFzaA', new Date(NOW.getTime() + DAY));
    expect(again).toEqual({ users: 0, items: 0, jobs: 0 });
    expect(await holdsOtherData(db)).toBe(false);

    const rows = await db.select().from(items);
    expect(rows).toHaveLength(first.items);
    // Spread over the month, never in the future.
    const days = new Set(rows.map((r) => r.createdAt.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(12);
    expect(Math.min(...rows.map((r) => r.createdAt.getTime()))).toBeGreaterThan(NOW.getTime() - 31 * DAY);
    expect(Math.max(...rows.map((r) => r.updatedAt.getTime()))).toBeLessThanOrEqual(NOW.getTime());
    // Skewed, not one of each: no two statuses (or priorities) with the same count.
    const tally = (values: string[]) => [...new Set(values)].map((v) => values.filter((x) => x === v).length);
    expect(new Set(tally(rows.map((r) => r.status))).size).toBe(tally(rows.map((r) => r.status)).length);
    expect(new Set(tally(rows.map((r) => r.priority))).size).toBeGreaterThanOrEqual(3);
    const overdue = rows.filter(
      (r) => r.dueAt && r.dueAt < NOW && (r.status === 'pending' || r.status === 'in_progress'),
    );
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.ownerId)).toBe(true);
    expect(rows.some((r) => r.title.includes('(follow-up)'))).toBe(false);
  });

  it("Should give each item the audit trail of its history, snapshots matching the item's times", async () => {
    const { db } = ref.handle;
    const done = await db.select().from(items).where(eq(items.status, 'done')).limit(1);
    const item = done[0];
    expect(item, 'a done item').toBeDefined();
    if (!item) return;
    const trail = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityType, 'item'), eq(auditLogs.entityId, item.id)))
      .orderBy(asc(auditLogs.id));
    expect(trail.map((a) => a.action)).toEqual(['item.created', 'item.updated', 'item.updated']);
    expect(trail.map((a) => (a.after as { status: string }).status)).toEqual(['pending', 'in_progress', 'done']);
    expect(trail.length).toBe(item.version);
    const [created, started] = trail as [(typeof trail)[number], (typeof trail)[number]];
    const last = trail.at(-1) as (typeof trail)[number];
    expect(created.createdAt.getTime()).toBe(item.createdAt.getTime());
    expect(last.createdAt.getTime()).toBe(item.updatedAt.getTime());
    expect(new Date((last.after as { updatedAt: string }).updatedAt).getTime()).toBe(item.updatedAt.getTime());
    expect((started.before as { status: string }).status).toBe('pending');
    // Each change is someone's: the item's owner, or whoever created it.
    const [actor] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, started.actorId as string));
    expect(actor?.id).toBe(item.ownerId);
  });

  it('Should leave finished jobs within retention, some retried and some dead, and queue a report and an import', async () => {
    const { db } = ref.handle;
    const byStatus = await db
      .select({
        status: jobs.status,
        n: sql<number>`count(*)::int`,
        retried: sql<number>`count(*) filter (where attempts > 1)::int`,
      })
      .from(jobs)
      .groupBy(jobs.status);
    const of = (status: string) => byStatus.find((s) => s.status === status);
    expect(of('succeeded')?.n).toBeGreaterThan(15);
    expect(of('succeeded')?.retried).toBeGreaterThan(0);
    expect(of('dead')?.n).toBeGreaterThan(0);
    expect(of('queued')?.n).toBe(2);
    const [oldest] = await db.select({ at: sql<string>`min(created_at)` }).from(jobs);
    expect(NOW.getTime() - new Date(oldest?.at as string).getTime()).toBeLessThan(14 * DAY);
  });

  it('Should count rows it did not create as other data', async () => {
    const { db } = ref.handle;
    await db.insert(items).values({ title: 'not from the demo' });
    expect(await holdsOtherData(db)).toBe(true);
  });
});
