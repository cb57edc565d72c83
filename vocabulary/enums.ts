/**
 * The enumerations of the domain, each written once, in its one order, as plain
 * constants with no imports: `db/schema.ts` builds its Postgres enums from them, the
 * API validates against them, and the dashboard lists them.
 */

/** An item's life, in the order the dashboard shows it. */
export const ITEM_STATUSES = ['pending', 'in_progress', 'done', 'archived'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Statuses in which an item asks nothing more of anyone: its due date no longer matters. */
export const CLOSED_ITEM_STATUSES: readonly ItemStatus[] = ['done', 'archived'];

/** Least to most pressing: the `priority` sort follows this order (the Postgres enum's). */
export const ITEM_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type ItemPriority = (typeof ITEM_PRIORITIES)[number];

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What a webhook can subscribe to; each is also the audit action of the change. */
export const WEBHOOK_EVENTS = ['item.created', 'item.updated', 'item.deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
