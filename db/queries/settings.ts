import { asc, eq, sql } from 'drizzle-orm';
import { auditLogs, settings } from '../schema.ts';
import type { Database } from '../types.ts';
import type { AuditContext } from './audit.ts';

export type SettingRow = typeof settings.$inferSelect;

export function listSettings(db: Database): Promise<SettingRow[]> {
  return db.select().from(settings).orderBy(asc(settings.key));
}

/**
 * Stores a value (insert or replace) with its `settings.updated` audit row, in one
 * statement. Before and after are `{ key, value, set }` with the value in force, so
 * setting a key for the first time shows the default it replaces.
 */
export async function putSetting(
  db: Database,
  key: string,
  value: unknown,
  defaultValue: unknown,
  context: AuditContext,
): Promise<SettingRow> {
  const before = db.$with('before').as(db.select().from(settings).where(eq(settings.key, key)));
  const saved = db.$with('saved').as(
    db
      .insert(settings)
      .values({ key, value, updatedBy: context.actorId, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: sql`excluded.value`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`now()` },
      })
      .returning(),
  );
  const unset = sql`jsonb_build_object('key', ${key}::text, 'value', ${JSON.stringify(defaultValue)}::jsonb, 'set', false)`;
  const audit = db.$with('audit', { id: sql<number>`id` }).as(sql`
    insert into ${auditLogs} (actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
    select ${context.actorType}, ${context.actorId}, 'settings.updated', 'setting', s.key,
           coalesce((select jsonb_build_object('key', b.key, 'value', b.value, 'set', true) from before b), ${unset}),
           jsonb_build_object('key', s.key, 'value', s.value, 'set', true), ${context.requestId}
    from saved s
    returning id`);
  const [row] = await db.with(before, saved, audit).select().from(saved);
  if (!row) throw new Error('upsert returned no row');
  return row;
}

/** Removes a stored value (back to the default) with its audit row; false when it was not set. */
export async function resetSetting(
  db: Database,
  key: string,
  defaultValue: unknown,
  context: AuditContext,
): Promise<boolean> {
  const before = db.$with('before').as(db.delete(settings).where(eq(settings.key, key)).returning());
  const after = sql`jsonb_build_object('key', ${key}::text, 'value', ${JSON.stringify(defaultValue)}::jsonb, 'set', false)`;
  // Only when something was deleted: a reset of an unset key changes nothing.
  const audit = db.$with('audit', { id: sql<number>`id` }).as(sql`
    insert into ${auditLogs} (actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
    select ${context.actorType}, ${context.actorId}, 'settings.updated', 'setting', b.key,
           jsonb_build_object('key', b.key, 'value', b.value, 'set', true), ${after}, ${context.requestId}
    from before b
    returning id`);
  const rows = await db.with(before, audit).select({ key: before.key }).from(before);
  return rows.length > 0;
}
