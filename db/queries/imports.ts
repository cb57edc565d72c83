import { and, eq, inArray, sql } from 'drizzle-orm';
import { items, jobs, users } from '../schema.ts';
import type { Database } from '../types.ts';
import { type AuditContext, auditCte } from './audit.ts';
import { type ItemRecord, insertItemRecords } from './items.ts';
import { notificationCte } from './outbox.ts';

export interface ImportChunk {
  jobId: string;
  workerId: string;
  /** The checkpoint the job row must still hold for the chunk to apply. */
  from: number;
  rows: ItemRecord[];
  /** The job's `result` once this chunk is in (it carries the advanced checkpoint). */
  progress: { checkpoint: number } & Record<string, unknown>;
  context: AuditContext;
}

/** The progress an import job has committed, read from its `result`. */
export function checkpointOf(result: unknown): number {
  const value = (result as { checkpoint?: unknown } | null)?.checkpoint;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * Inserts one chunk of an import: the items, their `item.created` audit rows and
 * webhook deliveries, and the job's advanced checkpoint, in ONE statement. The `guard` CTE only matches while
 * the job is still running under this worker and still at `from`; every insert
 * selects from it, so a stale worker, a duplicate delivery or a rerun after a
 * crash applies nothing. Atomic on every driver, neon-http included.
 */
export async function applyImportChunk(
  db: Database,
  chunk: ImportChunk,
): Promise<{ applied: boolean; inserted: number }> {
  const guard = db.$with('guard').as(
    db
      .update(jobs)
      .set({ result: chunk.progress, updatedAt: sql`now()` })
      .where(
        and(
          eq(jobs.id, chunk.jobId),
          eq(jobs.lockedBy, chunk.workerId),
          eq(jobs.status, 'running'),
          sql`coalesce((${jobs.result}->>'checkpoint')::int, 0) = ${chunk.from}`,
        ),
      )
      .returning({ id: jobs.id }),
  );
  const inserted = db.$with('inserted', { id: sql<string>`id` }).as(insertItemRecords(chunk.rows, sql`guard`));
  const audit = auditCte(db, {
    action: 'item.created',
    entityType: 'item',
    table: items,
    changed: inserted,
    context: chunk.context,
  });
  // Imported items are announced like any other: one delivery per subscriber, same statement.
  const notify = notificationCte(db, {
    event: 'item.created',
    table: items,
    changed: inserted,
    context: chunk.context,
  });
  // The job's progress, for the change feed: counts only (the rejected rows stay in the result).
  const { rejected: _rejected, ...counts } = chunk.progress as Record<string, unknown>;
  const progress = db.$with('progress', { id: sql<number>`id` }).as(sql`
    insert into audit_logs (actor_type, actor_id, action, entity_type, entity_id, after, request_id)
    select 'system', ${chunk.workerId}, 'job.progress', 'job', guard.id::text,
      jsonb_build_object('id', guard.id, 'status', 'running', 'progress', ${JSON.stringify(counts)}::jsonb),
      ${chunk.context.requestId}
    from guard
    returning id`);
  const [row] = await db
    .with(guard, inserted, audit, notify, progress)
    .select({ applied: sql<number>`(select count(*) from guard)::int`, inserted: sql<number>`count(*)::int` })
    .from(inserted);
  return { applied: Number(row?.applied ?? 0) > 0, inserted: Number(row?.inserted ?? 0) };
}

/**
 * Which of `ids` name existing users: one query for a whole import. The ids travel
 * as one jsonb parameter, since a file may name more owners than a statement may
 * have parameters.
 */
export async function existingUserIds(db: Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const wanted = sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;
  const rows = await db.select({ id: users.id }).from(users).where(inArray(users.id, wanted));
  return new Set(rows.map((r) => r.id));
}
