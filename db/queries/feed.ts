import { and, asc, desc, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm';
import { type AuditLogRow, auditLogs } from '../schema.ts';
import type { Database } from '../types.ts';
import { escapeLike } from './escape-like.ts';

/**
 * The change feed's reads over the audit trail. Only rows of finished transactions
 * are read (`xact_id` below the snapshot's xmin, the oldest transaction still
 * running), in `(xact_id, id)` order. That prefix of the trail never changes: no
 * transaction below xmin can still add a row, and all of a transaction's rows share
 * its `xact_id`. So resuming after an event's position neither skips a row whose
 * transaction committed after a later-numbered one, nor repeats one. A transaction left
 * open holds the feed back until it ends (statements time out; see
 * DATABASE_STATEMENT_TIMEOUT_MS).
 */
/** The channel migration 0006's trigger notifies when audit rows commit. */
export const CHANGES_CHANNEL = 'edgeplane_changes';

const FINISHED = sql`${auditLogs.xactId} < pg_snapshot_xmin(pg_current_snapshot())`;

/** A place in the feed: after the event with this audit id (its transaction, then its id). */
export interface FeedPosition {
  xactId: string;
  id: number;
}

/** Where a reader that asks for "from now on" starts: after the last finished row, or the beginning. */
export async function feedHead(db: Database): Promise<FeedPosition> {
  const [row] = await db
    .select({ xactId: auditLogs.xactId, id: auditLogs.id })
    .from(auditLogs)
    .where(FINISHED)
    .orderBy(desc(auditLogs.xactId), desc(auditLogs.id))
    .limit(1);
  return row ?? { xactId: '0', id: 0 };
}

/**
 * The position of the event with audit id `id`, or `undefined` when there is no such
 * row (purged by retention, or never sent): the reader cannot resume there.
 */
export async function feedPosition(db: Database, id: number): Promise<FeedPosition | undefined> {
  const [row] = await db
    .select({ xactId: auditLogs.xactId, id: auditLogs.id })
    .from(auditLogs)
    .where(and(eq(auditLogs.id, id), FINISHED));
  return row;
}

export interface ReadFeedParams {
  after: FeedPosition;
  limit: number;
  /** Exact actions (`item.created`) or prefixes (`item.*`); empty or absent: every action. */
  actions?: readonly string[];
  /** Entity types the reader may see; absent: all. */
  entityTypes?: readonly string[];
}

/** The next finished rows after `after`, oldest first. */
export async function readFeed(db: Database, params: ReadFeedParams): Promise<AuditLogRow[]> {
  const { after } = params;
  const conditions: SQL[] = [
    FINISHED,
    sql`(${auditLogs.xactId}, ${auditLogs.id}) > (${after.xactId}::xid8, ${after.id}::bigint)`,
  ];
  if (params.entityTypes) conditions.push(inArray(auditLogs.entityType, [...params.entityTypes]));
  if (params.actions?.length) {
    const matches = params.actions.map((action) =>
      action.endsWith('.*')
        ? like(auditLogs.action, `${escapeLike(action.slice(0, -1))}%`)
        : eq(auditLogs.action, action),
    );
    conditions.push(or(...matches) as SQL);
  }
  return db
    .select()
    .from(auditLogs)
    .where(and(...conditions))
    .orderBy(asc(auditLogs.xactId), asc(auditLogs.id))
    .limit(params.limit);
}

/** Whether `id` is older than anything the trail still holds (retention purged it). */
export async function olderThanRetention(db: Database, id: number): Promise<boolean> {
  const [oldest] = await db.select({ id: auditLogs.id }).from(auditLogs).orderBy(asc(auditLogs.id)).limit(1);
  return oldest !== undefined && id < oldest.id;
}
