import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ITEM_PRIORITIES, ITEM_STATUSES, JOB_STATUSES } from '../vocabulary/enums.ts';
import { ROLES } from '../vocabulary/permissions.ts';
import { timestamptz } from './timestamptz.ts';

/** A 64-bit transaction id (`xid8`), read as its decimal text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const userRole = pgEnum('user_role', ROLES);
export const itemStatus = pgEnum('item_status', ITEM_STATUSES);
/** Declaration order is the sort order: sorting by priority uses the enum's order. */
export const itemPriority = pgEnum('item_priority', ITEM_PRIORITIES);
export const jobStatus = pgEnum('job_status', JOB_STATUSES);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull().default('viewer'),
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
);

export const items = pgTable(
  'items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description'),
    status: itemStatus('status').notNull().default('pending'),
    priority: itemPriority('priority').notNull().default('medium'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    dueAt: timestamptz('due_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    // Partial indexes: every list query excludes soft-deleted rows. Ascending keys serve
    // both directions (a backward scan gives `desc`, nulls first, as the queries sort).
    index('items_created_idx').on(t.createdAt, t.id).where(sql`${t.deletedAt} is null`),
    index('items_updated_idx').on(t.updatedAt, t.id).where(sql`${t.deletedAt} is null`),
    index('items_due_idx')
      .on(sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('items_priority_idx').on(t.priority, t.id).where(sql`${t.deletedAt} is null`),
    index('items_status_created_idx').on(t.status, t.createdAt, t.id).where(sql`${t.deletedAt} is null`),
    index('items_owner_created_idx').on(t.ownerId, t.createdAt, t.id).where(sql`${t.deletedAt} is null`),
    index('items_tags_gin').using('gin', t.tags),
    index('items_title_trgm').using('gin', sql`${t.title} gin_trgm_ops`),
    index('items_description_trgm').using('gin', sql`${t.description} gin_trgm_ops`),
    index('items_deleted_at_idx').on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `user`, `api_key`, `system` or `anonymous`. */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /**
     * The writing transaction. The change feed reads rows of finished transactions only
     * (below the snapshot's xmin), in (xact_id, id) order: a prefix that never changes,
     * so a row whose transaction commits late is not skipped (`bigserial` ids are
     * assigned at insert, not at commit).
     */
    xactId: xid8('xact_id').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index('audit_logs_created_idx').on(t.createdAt, t.id),
    index('audit_logs_feed_idx').on(t.xactId, t.id),
    index('audit_logs_entity_idx').on(t.entityType, t.entityId, t.createdAt),
    index('audit_logs_actor_idx').on(t.actorType, t.actorId, t.createdAt),
    index('audit_logs_action_idx').on(t.action, t.createdAt),
  ],
);

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    status: jobStatus('status').notNull().default('queued'),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    result: jsonb('result'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamptz('run_at').notNull().defaultNow(),
    lockedBy: text('locked_by'),
    leaseExpiresAt: timestamptz('lease_expires_at'),
    lastError: text('last_error'),
    idempotencyKey: text('idempotency_key'),
    createdBy: text('created_by'),
    requestId: text('request_id'),
    traceparent: text('traceparent'),
    /** When the job was last handed to QStash; null means the relay still has to publish it. */
    publishedAt: timestamptz('published_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [
    uniqueIndex('jobs_idempotency_key_key').on(t.idempotencyKey),
    // The dispatcher's claim query: due jobs in run_at order.
    index('jobs_due_idx').on(t.runAt).where(sql`${t.status} in ('queued', 'failed')`),
    index('jobs_lease_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
    index('jobs_type_status_created_idx').on(t.type, t.status, t.createdAt),
    index('jobs_created_idx').on(t.createdAt, t.id),
    index('jobs_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null and ${t.status} = 'queued'`),
    index('jobs_finished_idx').on(t.finishedAt).where(sql`${t.finishedAt} is not null`),
  ],
);

/** Outgoing webhook subscriptions: item events are POSTed, signed, to `url`. */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  /** The Standard Webhooks signing secret (`whsec_…`), shown once at creation. */
  secret: text('secret').notNull(),
  description: text('description'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** Generated reports; the id is the id of the `generate-report` job that made it. */
export const reports = pgTable('reports', {
  id: uuid('id').primaryKey(),
  format: text('format').notNull(),
  contentType: text('content_type').notNull(),
  filename: text('filename').notNull(),
  content: text('content').notNull(),
  rowCount: integer('row_count').notNull(),
  createdBy: text('created_by'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export type ItemRow = typeof items.$inferSelect;
export type NewItemRow = typeof items.$inferInsert;
export type AuditLogRow = typeof auditLogs.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;

/**
 * Refresh tokens, stored hashed. Each login starts a family; each refresh replaces
 * the token with the next of its family. Presenting a replaced token again means it
 * was stolen: the whole family is revoked.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    replacedAt: timestamptz('replaced_at'),
    revokedAt: timestamptz('revoked_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_key').on(t.tokenHash), index('refresh_tokens_family_idx').on(t.familyId)],
);

/** Machine credentials: shown once, stored hashed, revocable. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The first characters of the key, to tell keys apart in lists. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    role: userRole('role').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash)],
);

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
