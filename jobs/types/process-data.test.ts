import { and, arrayContains, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { claimJob } from '../../db/queries/job-leases.ts';
import { getJob } from '../../db/queries/jobs.ts';
import { auditLogs, items, type JobRow, jobs } from '../../db/schema.ts';
import { failInserts } from '../../test/support/fail-inserts.ts';
import { backend, unique, useTestApp } from '../../test/support/harness.ts';
import { enqueue } from '../enqueue.ts';
import { jobDefinition } from '../registry.ts';
import { deliverJob, runClaimedJob } from '../runner.ts';
import { createProcessDataJob, type ImportResult } from './process-data.ts';

const SYSTEM = { actorType: 'system', actorId: 'test', requestId: null } as const;

/** The registry, with imports in chunks of two rows so five rows cross chunk boundaries. */
const smallChunks = createProcessDataJob({ chunkSize: 2 });
const definitions = (type: string) => (type === 'process-data' ? smallChunks : jobDefinition(type));

describe.skipIf(backend.skip)(`process-data: exactly-once effect [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  /** Queues an import of `count` rows tagged with a fresh tag. */
  const queueImport = async (count: number, title = (i: number) => `row ${i}`) => {
    const tag = unique('once');
    const lines = Array.from({ length: count }, (_, i) => `${title(i + 1)},${tag}`);
    const { job } = await enqueue(
      t.deps,
      { type: 'process-data', payload: { format: 'csv', content: ['title,tags', ...lines].join('\n') } },
      SYSTEM,
    );
    return { job, tag };
  };
  const imported = (tag: string) =>
    t.handle.db
      .select()
      .from(items)
      .where(arrayContains(items.tags, [tag]));
  const audited = async (tag: string) => {
    const ids = (await imported(tag)).map((r) => r.id);
    return t.handle.db.select().from(auditLogs).where(inArray(auditLogs.entityId, ids));
  };
  const reload = async (job: JobRow) => (await getJob(t.handle.db, job.id)) as JobRow;
  /** Puts a job back in the queue as if it had never run, keeping what it recorded. */
  const requeue = (job: JobRow) =>
    t.handle.db
      .update(jobs)
      .set({ status: 'queued', attempts: 0, lockedBy: null, leaseExpiresAt: null, runAt: sql`now()` })
      .where(eq(jobs.id, job.id));
  /** Makes every insert of an item titled `title` fail, as a database failure mid-import would. */
  const failInsertsOf = (title: string) => failInserts(t.handle, 'items', title, 'title');

  it('Should insert nothing again when a finished import is delivered again', async () => {
    const { job, tag } = await queueImport(5);
    expect(await deliverJob(t.deps, job.id, 'first', { definitions })).toBe('succeeded');
    expect(await deliverJob(t.deps, job.id, 'duplicate', { definitions })).toBe('already-finished');
    await requeue(job);
    expect(await deliverJob(t.deps, job.id, 'rerun', { definitions })).toBe('succeeded');
    expect(await imported(tag)).toHaveLength(5);
    expect(await audited(tag)).toHaveLength(5);
    expect((await reload(job)).result).toMatchObject({ total: 5, inserted: 5, checkpoint: 5 });
    // Each committed chunk told the change feed how far the import got (counts, no rows).
    const progress = await t.handle.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, job.id), eq(auditLogs.action, 'job.progress')))
      .orderBy(auditLogs.id);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.after).toMatchObject({
      id: job.id,
      status: 'running',
      progress: { checkpoint: 5, total: 5 },
    });
    expect(JSON.stringify(progress)).not.toContain('"rejected"');
  });

  it('Should resume after a failure mid-way from the last committed chunk, inserting every row once', async () => {
    const crashTitle = unique('crash');
    const { job, tag } = await queueImport(5, (i) => (i === 3 ? crashTitle : `row ${i}`));
    const restore = await failInsertsOf(crashTitle);
    try {
      expect(await deliverJob(t.deps, job.id, 'crashes', { definitions })).toBe('failed');
    } finally {
      await restore();
    }
    const failed = await reload(job);
    expect(failed.lastError).toBe('database error: items rejected the row');
    // The first chunk (rows 1-2) committed with its checkpoint; the second rolled back whole.
    expect(failed.result).toMatchObject({ checkpoint: 2, inserted: 2 });
    expect(await imported(tag)).toHaveLength(2);

    await t.handle.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, job.id));
    expect(await deliverJob(t.deps, job.id, 'resumes', { definitions })).toBe('succeeded');
    const titles = (await imported(tag)).map((r) => r.title).sort();
    expect(titles).toEqual([crashTitle, 'row 1', 'row 2', 'row 4', 'row 5'].sort());
    expect(await audited(tag)).toHaveLength(5);
    expect((await reload(job)).result).toMatchObject({ total: 5, inserted: 5, rejectedCount: 0, checkpoint: 5 });
  });

  it('Should apply nothing for a worker whose lease was taken over, while the new holder imports everything', async () => {
    const { job, tag } = await queueImport(5);
    const stale = (await claimJob(t.handle.db, job.id, 'stale', 30_000)) as JobRow;
    // The stale worker stalls past its lease; another worker takes the job over.
    await t.handle.db.update(jobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(jobs.id, job.id));
    const holder = (await claimJob(t.handle.db, job.id, 'holder', 30_000)) as JobRow;
    expect(holder.lockedBy).toBe('holder');

    const run = (row: JobRow, workerId: string) =>
      smallChunks.run(
        { deps: t.deps, job: row, workerId, signal: new AbortController().signal },
        {
          format: 'csv',
          content: (row.payload as { content: string }).content,
        },
      ) as Promise<ImportResult>;
    await expect(run(stale, 'stale')).rejects.toThrow(/no longer held by stale/);
    expect(await imported(tag)).toHaveLength(0);
    expect(await runClaimedJob(t.deps, holder, 'holder', { definitions })).toBe('succeeded');
    expect(await imported(tag)).toHaveLength(5);
  });

  it('Should apply each chunk once when the same worker runs the job twice at once', async () => {
    // A redelivered QStash message carries the same message id, hence the same worker id:
    // only the checkpoint tells the two runs apart.
    const { job, tag } = await queueImport(5);
    const claimed = (await claimJob(t.handle.db, job.id, 'qstash:msg-1', 30_000)) as JobRow;
    const payload = { format: 'csv' as const, content: (claimed.payload as { content: string }).content };
    const ctx = { deps: t.deps, job: claimed, workerId: 'qstash:msg-1', signal: new AbortController().signal };
    const outcomes = await Promise.allSettled([smallChunks.run(ctx, payload), smallChunks.run(ctx, payload)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await imported(tag)).toHaveLength(5);
    expect(await audited(tag)).toHaveLength(5);
  });

  it('Should let only one of two simultaneous deliveries import', async () => {
    const { job, tag } = await queueImport(5);
    const outcomes = await Promise.all([
      deliverJob(t.deps, job.id, 'a', { definitions }),
      deliverJob(t.deps, job.id, 'b', { definitions }),
    ]);
    expect(outcomes).toContain('succeeded');
    expect(await imported(tag)).toHaveLength(5);
  });

  it('Should stop between chunks when its signal is aborted, keeping what it committed', async () => {
    const { job, tag } = await queueImport(5);
    const claimed = (await claimJob(t.handle.db, job.id, 'stopping', 30_000)) as JobRow;
    const controller = new AbortController();
    const payload = { format: 'csv' as const, content: (claimed.payload as { content: string }).content };
    controller.abort(new Error('worker stopping'));
    await expect(
      smallChunks.run({ deps: t.deps, job: claimed, workerId: 'stopping', signal: controller.signal }, payload),
    ).rejects.toThrow('worker stopping');
    expect(await imported(tag)).toHaveLength(0);
  });
});
