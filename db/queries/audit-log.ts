import { and, desc, eq, like, type SQL, sql } from 'drizzle-orm';
import { auditLogs } from '../schema.ts';
import type { Database } from '../types.ts';
import { escapeLike } from './escape-like.ts';

export interface ListAuditParams {
  limit: number;
  after?: { value: string; id: string };
  actorType?: string;
  actorId?: string;
  /** An exact action, or a prefix ending in `.*` (`item.*`). */
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
}

/**
 * Newest first, keyset-paginated on (created_at, id). Each filter matches the
 * leading columns of one of the audit indexes, so every page is an index range.
 */
export async function listAuditLogs(db: Database, params: ListAuditParams) {
  const conditions: SQL[] = [];
  if (params.actorType) conditions.push(eq(auditLogs.actorType, params.actorType));
  if (params.actorId) conditions.push(eq(auditLogs.actorId, params.actorId));
  if (params.action?.endsWith('.*')) {
    conditions.push(like(auditLogs.action, `${escapeLike(params.action.slice(0, -1))}%`));
  } else if (params.action) {
    conditions.push(eq(auditLogs.action, params.action));
  }
  if (params.entityType) conditions.push(eq(auditLogs.entityType, params.entityType));
  if (params.entityId) conditions.push(eq(auditLogs.entityId, params.entityId));
  if (params.from) conditions.push(sql`${auditLogs.createdAt} >= ${params.from.toISOString()}::timestamptz`);
  if (params.to) conditions.push(sql`${auditLogs.createdAt} < ${params.to.toISOString()}::timestamptz`);
  if (params.after) {
    conditions.push(
      sql`(${auditLogs.createdAt}, ${auditLogs.id}) < (${params.after.value}::timestamptz, ${params.after.id}::bigint)`,
    );
  }
  const rows = await db
    .select()
    .from(auditLogs)
    .where(and(...conditions))
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(params.limit + 1);
  const hasMore = rows.length > params.limit;
  const page = hasMore ? rows.slice(0, params.limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: hasMore && last ? { value: last.createdAt.toISOString(), id: String(last.id) } : null };
}
