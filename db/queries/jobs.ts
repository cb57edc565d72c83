import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { insertShape, preparedStatement, shapedValues } from '../prepared.ts';
import { type JobRow, jobs } from '../schema.ts';
import type { Database } from '../types.ts';
import { AUDIT_CONTEXT_PLACEHOLDERS, type AuditContext, auditContextValues, auditCte } from './audit.ts';

export type JobStatus = JobRow['status'];

// Payloads (an import's whole file) and results stay out of audit snapshots.
/** The channel migration 0007's trigger notifies when a job becomes queued. */
export const JOBS_CHANNEL = 'edgeplane_jobs';

/** What a job's audit rows leave out: payloads (an upload) and results can be large. */
export const JOB_AUDIT_OMIT = ['payload', 'result'];
const AUDIT_OMIT = JOB_AUDIT_OMIT;

export interface EnqueueInput {
  type: string;
  payload: unknown;
  runAt?: Date;
  maxAttempts: number;
  idempotencyKey?: string;
  createdBy?: string | null;
  requestId?: string | null;
  traceparent?: string | null;
}

// The job's placeholders are prefixed: the audit context has its own (`requestId`).
const JOB_PLACEHOLDER_PREFIX = 'job.';

/**
 * Inserts a queued job with its `job.created` audit row in one statement. With an
 * idempotency key already used, nothing is inserted and the existing job is returned.
 */
export async function enqueueJob(
  db: Database,
  input: EnqueueInput,
  context: AuditContext,
): Promise<{ job: JobRow; created: boolean }> {
  // The input's fields are the job's columns.
  const { shape, values } = insertShape(input, JOB_PLACEHOLDER_PREFIX);
  const [row] = await insertJob(db, shape).execute({ ...values, ...auditContextValues(context) });
  if (row) return { job: row, created: true };
  const [existing] = await jobByIdempotencyKey(db).execute({ key: input.idempotencyKey ?? '' });
  if (!existing) throw new Error('job insert returned no row');
  return { job: existing, created: false };
}

// One statement per set of fields given (`insertShape`).
const insertJob = preparedStatement<JobRow[]>((db, shape) => {
  const values = shapedValues(shape, JOB_PLACEHOLDER_PREFIX) as unknown as typeof jobs.$inferInsert;
  const inserted = db
    .$with('inserted')
    .as(db.insert(jobs).values(values).onConflictDoNothing({ target: jobs.idempotencyKey }).returning());
  const audit = auditCte(db, {
    action: 'job.created',
    entityType: 'job',
    table: jobs,
    changed: inserted,
    context: AUDIT_CONTEXT_PLACEHOLDERS,
    omit: AUDIT_OMIT,
  });
  return db.with(inserted, audit).select().from(inserted);
});

const jobByIdempotencyKey = preparedStatement<JobRow[]>((db) =>
  db
    .select()
    .from(jobs)
    .where(eq(jobs.idempotencyKey, sql.placeholder('key'))),
);

const jobById = preparedStatement<JobRow[]>((db) =>
  db
    .select()
    .from(jobs)
    .where(eq(jobs.id, sql.placeholder('id'))),
);

export async function getJob(db: Database, id: string): Promise<JobRow | undefined> {
  const [row] = await jobById(db).execute({ id });
  return row;
}

export interface ListJobsParams {
  limit: number;
  type?: string[];
  status?: JobStatus[];
  after?: { value: string; id: string };
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listJobs(db: Database, params: ListJobsParams) {
  const conditions: SQL[] = [];
  if (params.type?.length) conditions.push(inArray(jobs.type, params.type));
  if (params.status?.length) conditions.push(inArray(jobs.status, params.status));
  if (params.after) {
    conditions.push(
      sql`(${jobs.createdAt}, ${jobs.id}) < (${params.after.value}::timestamptz, ${params.after.id}::uuid)`,
    );
  }
  const rows = await db
    .select()
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(params.limit + 1);
  const hasMore = rows.length > params.limit;
  const page = hasMore ? rows.slice(0, params.limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: hasMore && last ? { value: last.createdAt.toISOString(), id: last.id } : null };
}

export type TransitionResult = { ok: true; job: JobRow } | { ok: false; current: JobRow | undefined };

async function auditedTransition(
  db: Database,
  id: string,
  from: JobStatus[],
  action: string,
  set: Parameters<ReturnType<Database['update']>['set']>[0],
  context: AuditContext,
): Promise<TransitionResult> {
  const target = and(eq(jobs.id, id), inArray(jobs.status, from));
  const before = db.$with('before').as(db.select().from(jobs).where(target));
  const updated = db.$with('updated').as(db.update(jobs).set(set).where(target).returning());
  const audit = auditCte(db, {
    action,
    entityType: 'job',
    table: jobs,
    changed: updated,
    before,
    context,
    omit: AUDIT_OMIT,
  });
  const [row] = await db.with(before, updated, audit).select().from(updated);
  return row ? { ok: true, job: row } : { ok: false, current: await getJob(db, id) };
}

/** Puts a failed or dead job back in the queue with a fresh set of attempts. */
export function retryJob(db: Database, id: string, context: AuditContext) {
  return auditedTransition(
    db,
    id,
    ['failed', 'dead'],
    'job.retried',
    {
      status: 'queued',
      attempts: 0,
      runAt: sql`now()`,
      finishedAt: null,
      publishedAt: null,
      updatedAt: sql`now()`,
    },
    context,
  );
}

/** Cancels a job that has not started. */
export function cancelJob(db: Database, id: string, context: AuditContext) {
  return auditedTransition(
    db,
    id,
    ['queued'],
    'job.cancelled',
    { status: 'cancelled', finishedAt: sql`now()`, updatedAt: sql`now()` },
    context,
  );
}

/** Queued jobs not yet handed to QStash (new, retried, released), oldest first. */
export async function unpublishedJobs(db: Database, limit: number): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, 'queued'), isNull(jobs.publishedAt)))
    .orderBy(jobs.createdAt)
    .limit(limit);
}

export async function markPublished(db: Database, ids: string[]): Promise<void> {
  if (ids.length) await db.update(jobs).set({ publishedAt: sql`now()` }).where(inArray(jobs.id, ids));
}

/** Queue depth and age, for health and metrics. */
export async function queueStats(db: Database) {
  const [row] = await db
    .select({
      queued: sql<number>`count(*) filter (where ${jobs.status} in ('queued', 'failed'))::int`,
      running: sql<number>`count(*) filter (where ${jobs.status} = 'running')::int`,
      // Only due jobs count towards the backlog's age; scheduled ones are not late.
      oldestQueuedAt: sql<
        string | null
      >`min(${jobs.runAt}) filter (where ${jobs.status} in ('queued', 'failed') and ${jobs.runAt} <= now())`,
    })
    .from(jobs)
    .where(inArray(jobs.status, ['queued', 'failed', 'running']));
  return row;
}
