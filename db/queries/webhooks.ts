import { asc, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { WebhookEvent } from '../../vocabulary/enums.ts';
import { preparedStatement } from '../prepared.ts';
import { type WebhookRow, webhooks } from '../schema.ts';
import type { Database } from '../types.ts';
import { type AuditContext, auditCte, insertAudited } from './audit.ts';

// The signing secret never reaches the audit trail, which many more people can read.
const AUDIT_OMIT = ['secret'];

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  description?: string | null;
  active?: boolean;
}

export type WebhookPatch = Partial<WebhookInput>;

/** Inserts a webhook and its `webhook.created` audit row in one statement. */
export async function createWebhook(
  db: Database,
  input: WebhookInput & { secret: string },
  context: AuditContext,
): Promise<WebhookRow> {
  return insertAudited(db, webhooks, input, {
    action: 'webhook.created',
    entityType: 'webhook',
    context,
    omit: AUDIT_OMIT,
  });
}

/** Every webhook, oldest first (subscriptions are few: no pagination). */
export async function listWebhooks(db: Database): Promise<WebhookRow[]> {
  return db.select().from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id));
}

// Read once per webhook delivery.
const webhookById = preparedStatement<WebhookRow[]>((db) =>
  db
    .select()
    .from(webhooks)
    .where(eq(webhooks.id, sql.placeholder('id'))),
);

export async function getWebhook(db: Database, id: string): Promise<WebhookRow | undefined> {
  const [row] = await webhookById(db).execute({ id });
  return row;
}

/** Applies a patch with a `webhook.updated` audit row (before and after); undefined when missing. */
export function updateWebhook(db: Database, id: string, patch: WebhookPatch, context: AuditContext) {
  return auditedUpdate(db, id, 'webhook.updated', { ...patch, updatedAt: sql`now()` }, context);
}

/** Replaces the signing secret; audited as `webhook.secret_rotated` (without the secret). */
export function rotateWebhookSecret(db: Database, id: string, secret: string, context: AuditContext) {
  return auditedUpdate(db, id, 'webhook.secret_rotated', { secret, updatedAt: sql`now()` }, context);
}

/**
 * Deletes a webhook with its `webhook.deleted` audit row. Deliveries still queued
 * for it fail permanently when they run, which the jobs list then shows.
 */
export async function deleteWebhook(db: Database, id: string, context: AuditContext): Promise<boolean> {
  const deleted = db.$with('deleted').as(db.delete(webhooks).where(eq(webhooks.id, id)).returning());
  const audit = auditCte(db, {
    action: 'webhook.deleted',
    entityType: 'webhook',
    table: webhooks,
    changed: deleted,
    context,
    omit: AUDIT_OMIT,
    removed: true,
  });
  const rows = await db.with(deleted, audit).select({ id: deleted.id }).from(deleted);
  return rows.length > 0;
}

async function auditedUpdate(
  db: Database,
  id: string,
  action: string,
  set: PgUpdateSetSource<typeof webhooks>,
  context: AuditContext,
): Promise<WebhookRow | undefined> {
  const target = eq(webhooks.id, id);
  const before = db.$with('before').as(db.select().from(webhooks).where(target));
  const updated = db.$with('updated').as(db.update(webhooks).set(set).where(target).returning());
  const audit = auditCte(db, {
    action,
    entityType: 'webhook',
    table: webhooks,
    changed: updated,
    before,
    context,
    omit: AUDIT_OMIT,
  });
  const [row] = await db.with(before, updated, audit).select().from(updated);
  return row;
}
