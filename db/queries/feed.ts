import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type AuditLogRow, auditLogs } from '../schema.ts';
import type { Database } from '../types.ts';

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
}

/**
 * The next finished rows after `after`, oldest first, unfiltered: a reader filters them
 * with `feedFilter` and moves its position past every row it read, so rows it does not
 * want are read once, not again on every look.
 */
export async function readFeed(db: Database, params: ReadFeedParams): Promise<AuditLogRow[]> {
  const { after } = params;
  return db
    .select()
    .from(auditLogs)
    .where(and(FINISHED, sql`(${auditLogs.xactId}, ${auditLogs.id}) > (${after.xactId}::xid8, ${after.id}::bigint)`))
    .orderBy(asc(auditLogs.xactId), asc(auditLogs.id))
    .limit(params.limit);
}

export interface FeedFilter {
  /** Exact actions (`item.created`) or prefixes (`item.*`); absent: every action. */
  actions?: readonly string[];
  /** The entity types the reader may see. */
  entityTypes: readonly string[];
}

/** Whether a reader with `filter` gets `row`. */
export function feedFilter(filter: FeedFilter): (row: Pick<AuditLogRow, 'action' | 'entityType'>) => boolean {
  const entities = new Set(filter.entityTypes);
  const exact = new Set(filter.actions?.filter((action) => !action.endsWith('.*')));
  const prefixes = filter.actions?.filter((action) => action.endsWith('.*')).map((action) => action.slice(0, -1));
  return (row) =>
    entities.has(row.entityType) &&
    (!filter.actions?.length ||
      exact.has(row.action) ||
      (prefixes ?? []).some((prefix) => row.action.startsWith(prefix)));
}

/** Whether `id` is older than anything the trail still holds (retention purged it). */
export async function olderThanRetention(db: Database, id: number): Promise<boolean> {
  const [oldest] = await db.select({ id: auditLogs.id }).from(auditLogs).orderBy(asc(auditLogs.id)).limit(1);
  return oldest !== undefined && id < oldest.id;
}
