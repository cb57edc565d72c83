import { z } from '@hono/zod-openapi';
import { SORT_KEYS } from '../../../db/queries/items.ts';
import type { ItemRow } from '../../../db/schema.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../../../vocabulary/enums.ts';
import { commaList, pageParams } from '../../lib/query.ts';

export { ITEM_PRIORITIES, ITEM_STATUSES };

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
const dueAt = z.iso.datetime({ offset: true }).nullable();

export const CreateItemSchema = z
  .object({
    title,
    description: description.optional(),
    status: z.enum(ITEM_STATUSES).default('pending'),
    priority: z.enum(ITEM_PRIORITIES).default('medium'),
    tags: tags.default([]),
    ownerId: z.uuid().nullable().optional(),
    dueAt: dueAt.optional(),
  })
  .strict()
  .openapi('CreateItem');

export const UpdateItemSchema = z
  .object({
    title: title.optional(),
    description: description.optional(),
    status: z.enum(ITEM_STATUSES).optional(),
    priority: z.enum(ITEM_PRIORITIES).optional(),
    tags: tags.optional(),
    ownerId: z.uuid().nullable().optional(),
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

const SORTS = SORT_KEYS.flatMap((k) => [k, `-${k}`]) as [string, ...string[]];

export const ListItemsQuerySchema = z.object({
  ...pageParams(),
  sort: z
    .enum(SORTS)
    .default('-created')
    .openapi({
      param: { name: 'sort', in: 'query' },
      description: 'Sort key; a leading `-` sorts descending. Items without a due date come last.',
    }),
  status: commaList(ITEM_STATUSES).openapi({
    param: { name: 'status', in: 'query' },
    description: 'One status or a comma-separated list.',
    type: 'string',
  }),
  priority: commaList(ITEM_PRIORITIES).openapi({
    param: { name: 'priority', in: 'query' },
    description: 'One priority or a comma-separated list.',
    type: 'string',
  }),
  tag: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .openapi({ param: { name: 'tag', in: 'query' } }),
  owner: z
    .uuid()
    .optional()
    .openapi({ param: { name: 'owner', in: 'query' }, description: "Owner's user id." }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'q', in: 'query' }, description: 'Case-insensitive search in title and description.' }),
});

export const ItemListSchema = z
  .object({
    data: z.array(ItemSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .openapi('ItemList');

export const ItemIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }),
});

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
