import { z } from '@hono/zod-openapi';
import { ITEM_FILTERS, ItemSchema } from '../../../core/items.ts';
import { SORT_KEYS } from '../../../db/queries/items.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../../../vocabulary/enums.ts';
import { commaList, pageParams } from '../../lib/query.ts';

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
  tag: ITEM_FILTERS.tag.optional().openapi({ param: { name: 'tag', in: 'query' } }),
  owner: ITEM_FILTERS.owner
    .optional()
    .openapi({ param: { name: 'owner', in: 'query' }, description: "Owner's user id." }),
  q: ITEM_FILTERS.q
    .optional()
    .openapi({ param: { name: 'q', in: 'query' }, description: 'Case-insensitive search in title and description.' }),
  total: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({
      param: { name: 'total', in: 'query' },
      type: 'string',
      enum: ['true', 'false'],
      description: '`true` adds `total`, the number of items the filters match (it costs a count of them all).',
    }),
});

export const ItemListSchema = z
  .object({
    data: z.array(ItemSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    total: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Items matching the filters on every page together; sent when `total=true`.' }),
  })
  .openapi('ItemList');

export const ItemIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }),
});
