import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm/subquery';
import { auditLogs } from '../schema.ts';
import type { Database } from '../types.ts';

/** Who made a change and under which request; stored with every audit row. */
export interface AuditContext {
  actorType: 'user' | 'api_key' | 'system' | 'anonymous';
  actorId: string | null;
  requestId: string | null;
  /** The W3C traceparent of the request, carried into the jobs it causes. */
  traceparent?: string | null;
}

/** The context of a change as placeholders, for statements prepared once. */
export const AUDIT_CONTEXT_PLACEHOLDERS = {
  actorType: sql.placeholder('actorType'),
  actorId: sql.placeholder('actorId'),
  requestId: sql.placeholder('requestId'),
  traceparent: sql.placeholder('traceparent'),
} as unknown as AuditContext;

/** The values of `AUDIT_CONTEXT_PLACEHOLDERS` for one change. */
export const auditContextValues = (context: AuditContext) => ({
  actorType: context.actorType,
  actorId: context.actorId,
  requestId: context.requestId,
  traceparent: context.traceparent ?? null,
});

/**
 * A JSON snapshot of a CTE row, keyed by the table's property names (the names
 * the API uses), so audit before/after read like API resources.
 */
export function snapshot(table: PgTable, alias: string, omit: string[] = []): SQL {
  const parts = Object.entries(getTableColumns(table))
    .filter(([key]) => !omit.includes(key))
    .map(([key, column]) => sql`${key}::text, ${sql.identifier(alias)}.${sql.identifier(column.name)}`);
  return sql`jsonb_build_object(${sql.join(parts, sql`, `)})`;
}

export interface AuditCteOptions {
  /** The action, or an expression per changed row (`'job.' || changed.status`). */
  action: string | SQL;
  entityType: string;
  table: PgTable;
  /** The CTE holding the changed rows (after the change). */
  changed: WithSubquery;
  /** The CTE holding the same rows before the change, joined on `id`. */
  before?: WithSubquery;
  context: AuditContext;
  omit?: string[];
  /** The change removed the rows (a hard delete): record them as `before`, with no `after`. */
  removed?: boolean;
}

/**
 * A CTE inserting one audit row per changed row. Run in the same statement as the
 * change, so the change and its audit row commit together or not at all, on every
 * driver (neon-http has no interactive transactions).
 */
export function auditCte(db: Database, options: AuditCteOptions) {
  const { changed, before, context } = options;
  const changedAlias = changed._.alias;
  const changedJson = snapshot(options.table, changedAlias, options.omit);
  const afterJson = options.removed ? sql`null` : changedJson;
  const beforeJson = options.removed
    ? changedJson
    : before
      ? snapshot(options.table, before._.alias, options.omit)
      : sql`null`;
  const join = before
    ? sql`join ${sql.identifier(before._.alias)} on ${sql.identifier(before._.alias)}.id = ${sql.identifier(changedAlias)}.id`
    : sql``;
  return db.$with('audit', { id: sql<number>`id` }).as(sql`
    insert into ${auditLogs} (actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
    select ${context.actorType}, ${context.actorId}, ${options.action}, ${options.entityType},
           ${sql.identifier(changedAlias)}.id::text, ${beforeJson}, ${afterJson}, ${context.requestId}
    from ${sql.identifier(changedAlias)} ${join}
    returning id`);
}

/**
 * Inserts one row and its `<entity>.created`-style audit row in one statement, so
 * the two commit together on every driver. Returns the inserted row.
 */
export async function insertAudited<T extends PgTable>(
  db: Database,
  table: T,
  values: T['$inferInsert'],
  audit: { action: string; entityType: string; context: AuditContext; omit?: string[] },
): Promise<T['$inferSelect']> {
  const inserted = db.$with('inserted').as(
    db
      .insert(table as PgTable)
      .values(values)
      .returning(),
  );
  const cte = auditCte(db, { ...audit, table, changed: inserted });
  const [row] = await db.with(inserted, cte).select().from(inserted);
  if (!row) throw new Error('insert returned no row');
  return row as T['$inferSelect'];
}
