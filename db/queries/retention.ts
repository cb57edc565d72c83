import { type AnyColumn, and, eq, inArray, isNotNull, ne, notExists, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { executeRows } from '../execute.ts';
import { auditLogs, items, jobs, reports, settings } from '../schema.ts';
import type { Database } from '../types.ts';

export interface RetentionDays {
  deletedItemsDays: number;
  auditDays: number;
  finishedJobsDays: number;
}

const BATCH = 5_000;

/** The `retention.*` settings that override the configured defaults. */
export async function retentionSettings(db: Database, defaults: RetentionDays): Promise<RetentionDays> {
  const rows = await db
    .select()
    .from(settings)
    .where(inArray(settings.key, ['retention.deletedItemsDays', 'retention.auditDays', 'retention.finishedJobsDays']));
  const result = { ...defaults };
  for (const row of rows) {
    const key = row.key.slice('retention.'.length) as keyof RetentionDays;
    if (typeof row.value === 'number' && Number.isInteger(row.value) && row.value > 0) result[key] = row.value;
  }
  return result;
}

/** Deletes matching rows in batches, so a large purge never holds long locks. */
async function deleteInBatches(db: Database, table: PgTable, idColumn: SQL, where: SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await executeRows<{ n: number }>(
      db,
      sql`
      with doomed as (select ${idColumn} as id from ${table} where ${where} limit ${BATCH}),
           gone as (delete from ${table} where ${idColumn} in (select id from doomed) returning 1)
      select count(*)::int as n from gone`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}

const olderThan = (column: AnyColumn, days: number) => sql`${column} < now() - ${days} * interval '1 day'`;

/**
 * Purges what is past retention: soft-deleted items, audit rows, finished jobs (never
 * `exceptJobId`, the cleanup job itself) and reports whose job is gone.
 */
export async function purgeExpired(db: Database, days: RetentionDays, exceptJobId: string) {
  const deletedItems = await deleteInBatches(
    db,
    items,
    sql`${items.id}`,
    and(isNotNull(items.deletedAt), olderThan(items.deletedAt, days.deletedItemsDays)) as SQL,
  );
  const auditRows = await deleteInBatches(
    db,
    auditLogs,
    sql`${auditLogs.id}`,
    olderThan(auditLogs.createdAt, days.auditDays),
  );
  const finishedJobs = await deleteInBatches(
    db,
    jobs,
    sql`${jobs.id}`,
    and(
      inArray(jobs.status, ['succeeded', 'dead', 'cancelled']),
      olderThan(jobs.finishedAt, days.finishedJobsDays),
      ne(jobs.id, exceptJobId),
    ) as SQL,
  );
  const orphanReports = await deleteInBatches(
    db,
    reports,
    sql`${reports.id}`,
    notExists(db.select({ one: sql`1` }).from(jobs).where(eq(jobs.id, reports.id))),
  );
  return { deletedItems, auditRows, finishedJobs, orphanReports };
}
