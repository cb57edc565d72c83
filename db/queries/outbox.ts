import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { WebhookEvent } from '../../vocabulary/enums.ts';
import { jobs, webhooks } from '../schema.ts';
import type { Database } from '../types.ts';
import { type AuditContext, snapshot } from './audit.ts';

/**
 * The job that delivers one event to one subscriber. Declared here, not beside the
 * handler, because the statements that enqueue it live in `db/` and must not depend on `jobs/`.
 */
export const NOTIFICATION_JOB = { type: 'send-notification', maxAttempts: 8 } as const;

/** The name of the CTE `notificationCte` returns, for a statement that counts what it queued. */
export const NOTIFICATIONS_CTE = 'notifications';

export interface NotificationCteOptions {
  event: WebhookEvent;
  table: PgTable;
  /** The CTE holding the changed rows (after the change); each becomes the event's `data`. */
  changed: WithSubquery;
  context: AuditContext;
}

/**
 * A CTE queueing one `send-notification` job per active webhook subscribed to the
 * event, for each changed row. It runs in the statement that makes the change, so a
 * change is never committed without its notifications (nor notifications without
 * the change) on any driver: a transactional outbox in one statement.
 */
export function notificationCte(db: Database, options: NotificationCteOptions) {
  const { event, changed, context } = options;
  const alias = sql.identifier(changed._.alias);
  // `type:id`, or the type alone without an id; in SQL, so the values may be placeholders.
  const createdBy = sql`coalesce(${context.actorType}::text || ':' || ${context.actorId}::text, ${context.actorType}::text)`;
  // Parameters inside jsonb_build_object have no type to infer from: cast them.
  const payload = sql`jsonb_build_object('webhookId', w.id, 'event', ${event}::text, 'data', ${snapshot(options.table, changed._.alias)})`;
  return db.$with(NOTIFICATIONS_CTE, { id: sql<string>`id` }).as(sql`
    insert into ${jobs} (type, payload, max_attempts, created_by, request_id, traceparent)
    select ${NOTIFICATION_JOB.type}, ${payload}, ${NOTIFICATION_JOB.maxAttempts}, ${createdBy}, ${context.requestId}, ${context.traceparent ?? null}
    from ${webhooks} w join ${alias} on true
    where w.active and ${event}::text = any(w.events)
    returning id`);
}
