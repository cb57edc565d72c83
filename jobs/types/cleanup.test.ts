import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enqueueJob, getJob } from '../../db/queries/jobs.ts';
import { auditLogs, items, jobs, reports, settings } from '../../db/schema.ts';
import { backend, useTestApp } from '../../test/support/harness.ts';
import { createDispatcher } from '../dispatcher.ts';
import { ensureDailyJobs } from '../schedule.ts';

const SYSTEM = { actorType: 'system', actorId: 'test', requestId: null } as const;
const daysAgo = (days: number) => sql`now() - ${days} * interval '1 day'`;

describe.skipIf(backend.skip)(`cleanup job: retention [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  const runCleanup = async () => {
    const { job } = await enqueueJob(t.deps.db, { type: 'cleanup', payload: {}, maxAttempts: 1 }, SYSTEM);
    await createDispatcher(t.deps, { concurrency: 1, pollIntervalMs: 50, leaseMs: 30_000, schedule: false }).drain();
    return (await getJob(t.deps.db, job.id)) as NonNullable<Awaited<ReturnType<typeof getJob>>>;
  };
  const ids = <T>(rows: { id: T }[]) => rows.map((r) => r.id);

  it('Should purge exactly the rows past retention and keep everything else', async () => {
    const db = t.deps.db;
    const [oldDeleted, recentDeleted, oldLive] = await db
      .insert(items)
      .values([
        { title: 'deleted 40 days ago', deletedAt: daysAgo(40) as unknown as Date },
        { title: 'deleted 10 days ago', deletedAt: daysAgo(10) as unknown as Date },
        { title: 'live, created long ago', createdAt: daysAgo(900) as unknown as Date },
      ])
      .returning();
    const [oldAudit, recentAudit] = await db
      .insert(auditLogs)
      .values([
        {
          actorType: 'system',
          action: 'item.created',
          entityType: 'item',
          entityId: 'a',
          createdAt: daysAgo(400) as unknown as Date,
        },
        {
          actorType: 'system',
          action: 'item.created',
          entityType: 'item',
          entityId: 'b',
          createdAt: daysAgo(300) as unknown as Date,
        },
      ])
      .returning();
    const finished = (status: 'succeeded' | 'dead' | 'cancelled', days: number) => ({
      type: 'cleanup',
      status,
      payload: {},
      finishedAt: daysAgo(days) as unknown as Date,
      createdAt: daysAgo(days) as unknown as Date,
    });
    const oldJobs = await db
      .insert(jobs)
      .values([finished('succeeded', 20), finished('dead', 30), finished('cancelled', 15)])
      .returning();
    const keptJobs = await db
      .insert(jobs)
      .values([
        finished('succeeded', 3),
        // Unfinished jobs are never purged, however old.
        {
          type: 'cleanup',
          status: 'queued',
          payload: {},
          runAt: sql`now() + interval '1 day'` as unknown as Date,
          createdAt: daysAgo(90) as unknown as Date,
        },
      ])
      .returning();
    const [oldJob] = oldJobs;
    const [keptJob] = keptJobs;
    await db.insert(reports).values([
      { id: oldJob?.id as string, format: 'csv', contentType: 'text/csv', filename: 'a.csv', content: '', rowCount: 0 },
      {
        id: keptJob?.id as string,
        format: 'csv',
        contentType: 'text/csv',
        filename: 'b.csv',
        content: '',
        rowCount: 0,
      },
    ]);

    const cleanup = await runCleanup();
    expect(cleanup.status).toBe('succeeded');
    expect(cleanup.result).toMatchObject({
      retentionDays: { deletedItemsDays: 30, auditDays: 365, finishedJobsDays: 14 },
      purged: { deletedItems: 1, auditRows: 1, finishedJobs: 3, orphanReports: 1 },
    });
    const remainingItems = ids(
      await db
        .select()
        .from(items)
        .where(inArray(items.id, ids([oldDeleted, recentDeleted, oldLive] as { id: string }[]))),
    );
    expect(remainingItems.sort()).toEqual([recentDeleted?.id, oldLive?.id].sort());
    const remainingAudit = ids(
      await db
        .select()
        .from(auditLogs)
        .where(inArray(auditLogs.id, [oldAudit?.id, recentAudit?.id] as number[])),
    );
    expect(remainingAudit).toEqual([recentAudit?.id]);
    const remainingJobs = ids(
      await db
        .select()
        .from(jobs)
        .where(inArray(jobs.id, ids([...oldJobs, ...keptJobs]))),
    );
    expect(remainingJobs.sort()).toEqual(ids(keptJobs).sort());
    expect(ids(await db.select().from(reports))).toEqual([keptJob?.id]);
  });

  it('Should take retention from settings over the configured defaults', async () => {
    const db = t.deps.db;
    await db.insert(settings).values({ key: 'retention.deletedItemsDays', value: 5 });
    const [past, within] = await db
      .insert(items)
      .values([
        { title: 'deleted 7 days ago', deletedAt: daysAgo(7) as unknown as Date },
        { title: 'deleted 2 days ago', deletedAt: daysAgo(2) as unknown as Date },
      ])
      .returning();
    const cleanup = await runCleanup();
    expect(cleanup.result).toMatchObject({ retentionDays: { deletedItemsDays: 5, auditDays: 365 } });
    const left = await db
      .select({ id: items.id })
      .from(items)
      .where(inArray(items.id, [past?.id ?? '', within?.id ?? '']));
    expect(left.map((r) => r.id)).toEqual([within?.id]);
    await db.delete(settings).where(eq(settings.key, 'retention.deletedItemsDays'));
  });

  it('Should enqueue the daily cleanup once per day, however many schedulers ask', async () => {
    const results = await Promise.all([ensureDailyJobs(t.deps), ensureDailyJobs(t.deps), ensureDailyJobs(t.deps)]);
    const day = new Date().toISOString().slice(0, 10);
    const rows = await t.deps.db
      .select()
      .from(jobs)
      .where(eq(jobs.idempotencyKey, `cleanup:${day}`));
    expect(rows).toHaveLength(1);
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
  });
});
