import type { ColumnsSelection } from 'drizzle-orm';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { TypedQueryBuilder } from 'drizzle-orm/query-builders/query-builder';
import { type JobRow, jobs } from '../schema.ts';
import type { Database } from '../types.ts';
import { auditCte } from './audit.ts';
import { JOB_AUDIT_OMIT } from './jobs.ts';

/*
 * The worker side of the job state machine: claiming due jobs, keeping a lease,
 * and recording the outcome. Every write after the claim is fenced by
 * `locked_by`, so a worker that lost its lease changes nothing.
 */

const ms = (value: number) => sql`(${value} * interval '1 millisecond')`;

/** The audit action of a transition: `job.` and the status the job moved to. */
const TO_STATUS = sql`'job.' || ${sql.identifier('changed')}.status::text`;

/**
 * Runs a jobs UPDATE (ending in `.returning()`, every column) with one audit row per
 * changed job (`job.running`, `job.succeeded`…) in the same statement, so the change
 * feed sees every transition and each commits with its row. Returns the changed jobs.
 */
async function withTransitionAudit(
  db: Database,
  update: TypedQueryBuilder<ColumnsSelection>,
  workerId: string | null,
): Promise<JobRow[]> {
  const changed = db.$with('changed').as(update);
  const audit = auditCte(db, {
    action: TO_STATUS,
    entityType: 'job',
    table: jobs,
    changed,
    context: { actorType: 'system', actorId: workerId, requestId: null },
    omit: JOB_AUDIT_OMIT,
  });
  const rows = await db.with(changed, audit).select().from(changed);
  return rows as unknown as JobRow[];
}

/** A job another worker held but stopped renewing; it may be taken over. */
const leaseExpired = and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, sql`now()`));
const claimable = (respectRunAt: boolean) =>
  and(
    sql`${jobs.attempts} < ${jobs.maxAttempts}`,
    sql`((${jobs.status} in ('queued', 'failed') ${respectRunAt ? sql`and ${jobs.runAt} <= now()` : sql``}) or (${leaseExpired}))`,
  );

function claimSet(workerId: string, leaseMs: number) {
  return {
    status: 'running' as const,
    attempts: sql`${jobs.attempts} + 1`,
    lockedBy: workerId,
    leaseExpiresAt: sql`now() + ${ms(leaseMs)}`,
    startedAt: sql`now()`,
    updatedAt: sql`now()`,
  };
}

/**
 * Claims up to `limit` due jobs for one worker. `FOR UPDATE SKIP LOCKED` lets any
 * number of dispatchers poll one table without ever claiming the same job twice.
 */
export async function claimDueJobs(db: Database, workerId: string, limit: number, leaseMs: number): Promise<JobRow[]> {
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(claimable(true))
    .orderBy(jobs.runAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  return withTransitionAudit(
    db,
    db.update(jobs).set(claimSet(workerId, leaseMs)).where(inArray(jobs.id, due)).returning(),
    workerId,
  );
}

/**
 * Claims one job by id (a QStash delivery). QStash is the scheduler there, so
 * `run_at` is not checked; finished, cancelled and running jobs are not claimable.
 */
export async function claimJob(db: Database, id: string, workerId: string, leaseMs: number) {
  const update = db
    .update(jobs)
    .set(claimSet(workerId, leaseMs))
    .where(and(eq(jobs.id, id), claimable(false)))
    .returning();
  const [row] = await withTransitionAudit(db, update, workerId);
  return row;
}

/** Jobs whose last attempt's worker vanished: dead, since no attempt is left. */
export async function reapExpiredLeases(db: Database): Promise<JobRow[]> {
  const reaped = db
    .update(jobs)
    .set({
      status: 'dead',
      lastError: sql`coalesce(${jobs.lastError} || '; ', '') || 'worker stopped renewing its lease on the last attempt'`,
      lockedBy: null,
      leaseExpiresAt: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(leaseExpired, sql`${jobs.attempts} >= ${jobs.maxAttempts}`))
    .returning();
  return withTransitionAudit(db, reaped, null);
}

const ownedBy = (id: string, workerId: string) =>
  and(eq(jobs.id, id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running'));

/** Extends a running job's lease; false when the worker no longer owns it. */
export async function renewLease(db: Database, id: string, workerId: string, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ leaseExpiresAt: sql`now() + ${ms(leaseMs)}` })
    .where(ownedBy(id, workerId))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Marks an owned job succeeded; false when its lease was lost to another worker. */
export async function completeJob(db: Database, id: string, workerId: string, result: unknown): Promise<boolean> {
  const completed = db
    .update(jobs)
    .set({
      status: 'succeeded',
      result: result ?? null,
      lastError: null,
      lockedBy: null,
      leaseExpiresAt: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(ownedBy(id, workerId))
    .returning();
  const rows = await withTransitionAudit(db, completed, workerId);
  return rows.length > 0;
}

/**
 * Records a failed attempt: `failed` with the next `run_at`, or `dead` when no
 * attempt is left (or the failure is permanent). Null when the lease was lost.
 */
export async function failJob(
  db: Database,
  id: string,
  workerId: string,
  failure: { error: string; retryAt: Date; permanent: boolean },
): Promise<'failed' | 'dead' | null> {
  const dead = failure.permanent ? sql`true` : sql`${jobs.attempts} >= ${jobs.maxAttempts}`;
  const failed = db
    .update(jobs)
    .set({
      status: sql`case when ${dead} then 'dead'::job_status else 'failed'::job_status end`,
      lastError: failure.error.slice(0, 2000),
      runAt: sql`case when ${dead} then ${jobs.runAt} else ${failure.retryAt.toISOString()}::timestamptz end`,
      lockedBy: null,
      leaseExpiresAt: null,
      finishedAt: sql`case when ${dead} then now() else null end`,
      updatedAt: sql`now()`,
    })
    .where(ownedBy(id, workerId))
    .returning();
  const [row] = await withTransitionAudit(db, failed, workerId);
  return row ? (row.status as 'failed' | 'dead') : null;
}

/** Gives an unfinished job back (a stopping worker): queued again, the attempt not counted. */
export async function releaseJob(db: Database, id: string, workerId: string): Promise<boolean> {
  const released = db
    .update(jobs)
    .set({
      status: 'queued',
      attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
      lockedBy: null,
      leaseExpiresAt: null,
      runAt: sql`now()`,
      publishedAt: null,
      updatedAt: sql`now()`,
    })
    .where(ownedBy(id, workerId))
    .returning();
  const rows = await withTransitionAudit(db, released, workerId);
  return rows.length > 0;
}

/**
 * For QStash delivery: a job whose worker died mid-run (lease expired) goes back to
 * the queue unpublished, so the relay hands it to QStash again.
 */
export async function requeueExpiredLeases(db: Database): Promise<JobRow[]> {
  const requeued = db
    .update(jobs)
    .set({ status: 'queued', lockedBy: null, leaseExpiresAt: null, publishedAt: null, updatedAt: sql`now()` })
    .where(and(leaseExpired, sql`${jobs.attempts} < ${jobs.maxAttempts}`))
    .returning();
  return withTransitionAudit(db, requeued, null);
}
