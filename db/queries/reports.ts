import { eq } from 'drizzle-orm';
import { type ReportRow, reports } from '../schema.ts';
import type { Database } from '../types.ts';

export type NewReport = Omit<ReportRow, 'createdAt'>;

/**
 * Stores a report under its job's id; false when one is already stored there (a
 * duplicate or concurrent run of the job came first), which is kept as it is.
 */
export async function storeReport(db: Database, report: NewReport): Promise<boolean> {
  const rows = await db
    .insert(reports)
    .values(report)
    .onConflictDoNothing({ target: reports.id })
    .returning({ id: reports.id });
  return rows.length > 0;
}

export async function getReport(db: Database, id: string): Promise<ReportRow | undefined> {
  const [row] = await db.select().from(reports).where(eq(reports.id, id));
  return row;
}

export type ReportSummary = Omit<ReportRow, 'content'>;

/** A report without its content, for checks that must not load megabytes. */
export async function reportSummary(db: Database, id: string): Promise<ReportSummary | undefined> {
  const [row] = await db
    .select({
      id: reports.id,
      format: reports.format,
      contentType: reports.contentType,
      filename: reports.filename,
      rowCount: reports.rowCount,
      createdBy: reports.createdBy,
      createdAt: reports.createdAt,
    })
    .from(reports)
    .where(eq(reports.id, id));
  return row;
}
