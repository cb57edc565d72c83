import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppDeps } from '../core/deps.ts';
import { executeRows } from '../db/execute.ts';
import { claimDueJobs, completeJob, completeJobs } from '../db/queries/job-leases.ts';
import { enqueueJob, getJob } from '../db/queries/jobs.ts';
import { auditLogs, type JobRow, jobs } from '../db/schema.ts';
import { backend, testDeps, useIsolatedDatabase } from '../test/support/harness.ts';
import { PROBE_TABLE_DDL, withProbe } from '../test/support/probe-job.ts';
import { defineJob } from './define.ts';
import { createDispatcher, type DispatcherOptions } from './dispatcher.ts';
import { deliverJob } from './runner.ts';

const SYSTEM = { actorType: 'system', actorId: 'test', requestId: null } as const;

describe.skipIf(backend.skip)(`job state machine and dispatcher [${backend.label}]`, () => {
  let deps: AppDeps;
  const isolated = useIsolatedDatabase();
  beforeAll(async () => {
    const handle = isolated.handle;
    await handle.runAtomic([PROBE_TABLE_DDL]);
    deps = testDeps(handle);
    deps.config.jobs.backoffBaseMs = 60_000;
  });

  const dispatcher = (
    workerId = `w-${crypto.randomUUID().slice(0, 6)}`,
    leaseMs = 30_000,
    options: Partial<DispatcherOptions> = {},
  ) =>
    createDispatcher(deps, {
      workerId,
      concurrency: 4,
      pollIntervalMs: 50,
      leaseMs,
      schedule: false,
      definitions: withProbe,
      ...options,
    });
  const probeJob = async (payload: Record<string, unknown>, maxAttempts = 3) =>
    (await enqueueJob(deps.db, { type: 'probe', payload, maxAttempts }, SYSTEM)).job;
  const runs = async (jobId: string) =>
    (
      await executeRows<{ n: number }>(deps.db, sql`select count(*)::int as n from probe_runs where job_id = ${jobId}`)
    )[0]?.n;
  const reload = async (job: JobRow) => (await getJob(deps.db, job.id)) as JobRow;
  /** Makes a failed job due now, as if its backoff had passed. */
  const makeDue = (job: JobRow) => deps.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, job.id));

  it('Should take a job from queued through running to succeeded, with its result and timings', async () => {
    const job = await probeJob({ behavior: 'succeed' });
    expect(job).toMatchObject({ status: 'queued', attempts: 0 });
    const d = dispatcher();
    await d.drain();
    const done = await reload(job);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, lockedBy: null, lastError: null });
    expect(done.result).toEqual({ ranBy: d.workerId, attempt: 1 });
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt?.getTime()).toBeGreaterThanOrEqual(done.startedAt?.getTime() ?? 0);
    expect(await runs(job.id)).toBe(1);
  });

  it('Should retry a failing job with growing backoff, then mark it dead', async () => {
    const job = await probeJob({ behavior: 'fail' }, 3);
    const d = dispatcher();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = Date.now();
      await d.drain();
      const state = await reload(job);
      expect(state.attempts).toBe(attempt);
      expect(state.lastError).toContain(`attempt ${attempt}`);
      if (attempt < 3) {
        expect(state.status).toBe('failed');
        delays.push(state.runAt.getTime() - before);
        expect(await d.drain()).toBe(0); // not due yet: backoff holds it
        await makeDue(job);
      } else {
        expect(state.status).toBe('dead');
        expect(state.finishedAt).toBeInstanceOf(Date);
      }
    }
    // Equal jitter: attempt n waits between half and all of base * 2^(n-1).
    expect(delays[0]).toBeGreaterThanOrEqual(29_000);
    expect(delays[1]).toBeGreaterThanOrEqual(59_000);
    expect(delays[1]).toBeLessThanOrEqual(121_000);
  });

  it('Should mark a permanently failing job dead on its first attempt', async () => {
    const job = await probeJob({ behavior: 'fail-permanently' }, 5);
    await dispatcher().drain();
    expect(await reload(job)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'probe cannot succeed' });
  });

  it('Should not run a job before its run_at', async () => {
    const job = (
      await enqueueJob(
        deps.db,
        { type: 'probe', payload: { behavior: 'succeed' }, maxAttempts: 1, runAt: new Date(Date.now() + 3_600_000) },
        SYSTEM,
      )
    ).job;
    await dispatcher().drain();
    expect((await reload(job)).status).toBe('queued');
  });

  it('Should recover a job whose worker crashed once its lease expires, fencing the old worker', async () => {
    const job = await probeJob({ behavior: 'succeed' });
    await deps.db.update(jobs).set({ runAt: sql`now() - interval '1 hour'` }).where(eq(jobs.id, job.id));
    // A worker claims it with a short lease and then "crashes" (never finishes).
    const claimed = await claimDueJobs(deps.db, 'crashed-worker', 100, 300);
    expect(claimed.map((j) => j.id)).toContain(job.id);
    for (const other of claimed.filter((j) => j.id !== job.id)) {
      await deps.db.update(jobs).set({ status: 'queued', lockedBy: null, attempts: 0 }).where(eq(jobs.id, other.id));
    }
    expect(await dispatcher().drain()).toBe(0); // the lease still holds
    await new Promise((r) => setTimeout(r, 400));
    const rescuer = dispatcher('rescuer');
    await rescuer.drain();
    expect(await reload(job)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      result: { ranBy: 'rescuer', attempt: 2 },
    });
    // The crashed worker coming back cannot overwrite the outcome.
    expect(await completeJob(deps.db, job.id, 'crashed-worker', { stale: true })).toBe(false);
    expect((await reload(job)).result).toEqual({ ranBy: 'rescuer', attempt: 2 });
  });

  it('Should mark dead a job whose worker crashed on its last attempt', async () => {
    const job = await probeJob({ behavior: 'succeed' }, 1);
    await deps.db
      .update(jobs)
      .set({ status: 'running', attempts: 1, lockedBy: 'gone', leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(jobs.id, job.id));
    await dispatcher().drain();
    const state = await reload(job);
    expect(state).toMatchObject({ status: 'dead', attempts: 1 });
    expect(state.lastError).toContain('lease');
  });

  it('Should run a duplicate delivery of a finished job as a no-op', async () => {
    const job = await probeJob({ behavior: 'succeed' });
    expect(await deliverJob(deps, job.id, 'delivery-1', { definitions: withProbe })).toBe('succeeded');
    expect(await deliverJob(deps, job.id, 'delivery-2', { definitions: withProbe })).toBe('already-finished');
    expect(await runs(job.id)).toBe(1);
  });

  it('Should let only one of two simultaneous deliveries run the job', async () => {
    const job = await probeJob({ behavior: 'wait', ms: 200 });
    const outcomes = await Promise.all([
      deliverJob(deps, job.id, 'delivery-a', { definitions: withProbe }),
      deliverJob(deps, job.id, 'delivery-b', { definitions: withProbe }),
    ]);
    expect(outcomes.sort()).toEqual(['busy', 'succeeded']);
    expect(await runs(job.id)).toBe(1);
  });

  it('Should run 32 jobs at once without a listener per job on its stop signal (no leak warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const waiting = await Promise.all(Array.from({ length: 32 }, () => probeJob({ behavior: 'wait', ms: 200 })));
      const ids = waiting.map((job) => job.id);
      await deps.db.update(jobs).set({ runAt: sql`now() - interval '3 hours'` }).where(inArray(jobs.id, ids));
      await dispatcher(undefined, undefined, { concurrency: 32 }).drain();
      const states = await deps.db.select({ status: jobs.status }).from(jobs).where(inArray(jobs.id, ids));
      expect(states.map((row) => row.status)).toEqual(ids.map(() => 'succeeded'));
      // Emitted on the next tick after the listener that passes the limit.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('Should record the other jobs finishing with one whose result JSON cannot hold', async () => {
    const bad = defineJob({
      type: 'probe-bigint',
      description: 'Test job',
      payload: z.object({}),
      run: async () => ({ count: 1n }),
    });
    const definitions = (type: string) => (type === bad.type ? bad : withProbe(type));
    const badJob = (await enqueueJob(deps.db, { type: bad.type, payload: {}, maxAttempts: 1 }, SYSTEM)).job;
    const good = await Promise.all([probeJob({ behavior: 'succeed' }), probeJob({ behavior: 'succeed' })]);
    const ids = [badJob.id, ...good.map((job) => job.id)];
    await deps.db.update(jobs).set({ runAt: sql`now() - interval '4 hours'` }).where(inArray(jobs.id, ids));
    await dispatcher(undefined, undefined, { concurrency: 8, definitions }).drain();
    for (const job of good) expect((await reload(job)).status).toBe('succeeded');
    // Its outcome could not be written: it keeps its lease, and runs again once that expires.
    expect(await reload(badJob)).toMatchObject({ status: 'running' });
    await deps.db.update(jobs).set({ status: 'cancelled' }).where(eq(jobs.id, badJob.id));
  });

  it('Should give running jobs back to the queue when stopped before they finish', async () => {
    const job = await probeJob({ behavior: 'wait', ms: 10_000 });
    await deps.db.update(jobs).set({ runAt: sql`now() - interval '2 hours'` }).where(eq(jobs.id, job.id));
    const d = dispatcher();
    d.start();
    for (let i = 0; i < 100 && (await reload(job)).status !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await reload(job)).status).toBe('running');
    await d.stop(100);
    expect(await reload(job)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
    expect(await runs(job.id)).toBe(0);
    await deps.db.update(jobs).set({ status: 'cancelled' }).where(eq(jobs.id, job.id));
  });

  it("Should record each transition in the audit trail (the change feed's source), without payload or result", async () => {
    const job = await probeJob({ behavior: 'succeed' });
    await dispatcher().drain();
    const rows = await deps.db.select().from(auditLogs).where(eq(auditLogs.entityId, job.id)).orderBy(auditLogs.id);
    expect(rows.map((r) => r.action)).toEqual(['job.created', 'job.running', 'job.succeeded']);
    expect(rows.map((r) => (r.after as { status: string }).status)).toEqual(['queued', 'running', 'succeeded']);
    expect(rows[1]).toMatchObject({ actorType: 'system', actorId: expect.any(String) });
    for (const row of rows) {
      expect(row.after).not.toHaveProperty('payload');
      expect(row.after).not.toHaveProperty('result');
    }
  });

  it('Should record many successes in one statement, only for the jobs the worker still holds', async () => {
    const [mine, none, lost] = [
      await probeJob({ behavior: 'succeed' }),
      await probeJob({ behavior: 'succeed' }),
      await probeJob({ behavior: 'succeed' }),
    ] as [JobRow, JobRow, JobRow];
    const ids = [mine.id, none.id, lost.id];
    await deps.db.update(jobs).set({ runAt: sql`now() - interval '1 day'` }).where(inArray(jobs.id, ids));
    const claimed = await claimDueJobs(deps.db, 'batcher', 10, 30_000);
    expect(claimed.map((j) => j.id)).toEqual(expect.arrayContaining(ids));
    // Another worker took this one over after the lease expired.
    await deps.db.update(jobs).set({ lockedBy: 'other' }).where(eq(jobs.id, lost.id));
    const recorded = await completeJobs(deps.db, 'batcher', [
      { id: mine.id, result: { rows: 2, note: 'it\'s "quoted"' } },
      { id: none.id, result: undefined },
      { id: lost.id, result: { stale: true } },
    ]);
    expect([...recorded].sort()).toEqual([mine.id, none.id].sort());
    expect(await reload(mine)).toMatchObject({ status: 'succeeded', result: { rows: 2, note: 'it\'s "quoted"' } });
    const [stored] = await executeRows<{ isNull: boolean }>(
      deps.db,
      sql`select result is null as "isNull" from jobs where id = ${none.id}`,
    );
    expect(stored?.isNull).toBe(true); // SQL null, not the JSON value null
    expect(await reload(lost)).toMatchObject({ status: 'running', lockedBy: 'other', result: null });
    const audit = await deps.db.select().from(auditLogs).where(inArray(auditLogs.entityId, ids));
    expect(
      audit
        .filter((row) => row.action === 'job.succeeded')
        .map((row) => row.entityId)
        .sort(),
    ).toEqual([mine.id, none.id].sort());
  });
});
