/**
 * The item model: its API shape, the validation of what clients send (the routes, the
 * import job), the list filters (the list route's query, the report job's payload) and
 * the mapping from rows and SQL snapshots. HTTP details (query syntax, paging, path
 * parameters) stay with the routes.
 */
import { z } from '@hono/zod-openapi';
import type { ItemRow } from '../db/schema.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../vocabulary/enums.ts';
import { instant } from './instant.ts';

export const ItemSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(ITEM_STATUSES),
    priority: z.enum(ITEM_PRIORITIES),
    tags: z.array(z.string()),
    ownerId: z.uuid().nullable(),
    dueAt: z.iso.datetime().nullable(),
    version: z.number().int().openapi({ description: 'Increments on every change; the ETag carries it.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Item');

export type Item = z.infer<typeof ItemSchema>;

const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const description = z.string().max(10_000, 'must be at most 10000 characters').nullable();
const tags = z
  .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
  .max(20, 'at most 20 tags')
  .transform((list) => [...new Set(list)]);
const dueAt = instant().nullable();
// The messages name what is allowed: zod's own ("Invalid option") do not say it in words.
const status = z.enum(ITEM_STATUSES, { error: `must be one of ${ITEM_STATUSES.join(', ')}` });
const priority = z.enum(ITEM_PRIORITIES, { error: `must be one of ${ITEM_PRIORITIES.join(', ')}` });
const ownerId = z.uuid('must be a user id (a UUID)').nullable();

export const CreateItemSchema = z
  .object({
    title,
    description: description.optional(),
    status: status.default('pending'),
    priority: priority.default('medium'),
    tags: tags.default([]),
    ownerId: ownerId.optional().openapi({
      description:
        "The owning user's id. Left out, a signed-in user creating the item owns it (an API key's item has no " +
        'owner); `null` creates it without one.',
    }),
    dueAt: dueAt.optional(),
  })
  .strict()
  .openapi('CreateItem');

export const UpdateItemSchema = z
  .object({
    title: title.optional(),
    description: description.optional(),
    status: status.optional(),
    priority: priority.optional(),
    tags: tags.optional(),
    ownerId: ownerId.optional(),
    dueAt: dueAt.optional(),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'The version being changed; an alternative to `If-Match`.' }),
  })
  .strict()
  .openapi('UpdateItem');

/**
 * The list filters other than status and priority, with their bounds, once: the list
 * route reads them from the query string, the report job from its JSON payload. Status
 * and priority are the vocabulary's enums, as one value or a list in each syntax.
 */
export const ITEM_FILTERS = {
  tag: z.string().trim().min(1).max(50),
  owner: z.uuid(),
  q: z.string().trim().min(1).max(200),
};

/** The API representation of a row. */
export function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    ownerId: row.ownerId,
    dueAt: row.dueAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The API representation of an item snapshot taken in SQL (audit rows, webhook
 * payloads): same keys as the row, timestamps as Postgres renders them in JSON.
 */
export function itemFromSnapshot(snapshot: Record<string, unknown>): Item {
  const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);
  return toItem({
    ...(snapshot as unknown as ItemRow),
    dueAt: date(snapshot.dueAt),
    createdAt: date(snapshot.createdAt) ?? new Date(0),
    updatedAt: date(snapshot.updatedAt) ?? new Date(0),
    deletedAt: date(snapshot.deletedAt),
  });
}
