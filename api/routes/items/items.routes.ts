import { z } from '@hono/zod-openapi';
import { CreateItemSchema, ItemSchema, UpdateItemSchema } from '../../../core/items.ts';
import { errorResponses } from '../../lib/errors.ts';
import { jsonResponse, protectedRoute } from '../route.ts';
import { ItemIdParamsSchema, ItemListSchema, ListItemsQuerySchema } from './items.schemas.ts';

const tags = ['Items'];
const etagHeader = { ETag: { schema: { type: 'string' as const }, description: 'The item version, e.g. `"3"`.' } };

export const list = protectedRoute('items:read', {
  method: 'get',
  path: '/api/v1/items',
  tags,
  summary: 'List items',
  description: 'Cursor-paginated; filter by status, priority, tag and owner; search title and description.',
  request: { query: ListItemsQuerySchema },
  responses: {
    200: jsonResponse(ItemListSchema, 'A page of items.'),
    ...errorResponses(400, 422, 500, 503),
  },
});

export const get = protectedRoute('items:read', {
  method: 'get',
  path: '/api/v1/items/{id}',
  tags,
  summary: 'Get an item',
  request: {
    params: ItemIdParamsSchema,
    headers: z.object({ 'if-none-match': z.string().optional() }),
  },
  responses: {
    200: { ...jsonResponse(ItemSchema, 'The item.'), headers: etagHeader },
    304: { description: 'The item still has the version named in `If-None-Match`.', headers: etagHeader },
    ...errorResponses(404, 422, 500, 503),
  },
});

export const create = protectedRoute('items:write', {
  method: 'post',
  path: '/api/v1/items',
  tags,
  summary: 'Create an item',
  request: { body: { required: true, content: { 'application/json': { schema: CreateItemSchema } } } },
  responses: {
    201: {
      ...jsonResponse(ItemSchema, 'The created item.'),
      headers: { ...etagHeader, Location: { schema: { type: 'string' }, description: 'The item URL.' } },
    },
    ...errorResponses(400, 413, 415, 422, 500, 503),
  },
});

export const update = protectedRoute('items:write', {
  method: 'patch',
  path: '/api/v1/items/{id}',
  tags,
  summary: 'Update an item',
  description:
    'Optimistic concurrency: send the ETag you read in `If-Match` (or its number as `version`). ' +
    '`If-Match` follows RFC 9110: `*` or a list of entity tags compared strongly; a list that does not name the ' +
    'current version gets 412 with the current ETag and changes nothing, a malformed one 400; neither gets 428.',
  request: {
    params: ItemIdParamsSchema,
    headers: z.object({ 'if-match': z.string().optional() }),
    body: { required: true, content: { 'application/json': { schema: UpdateItemSchema } } },
  },
  responses: {
    200: { ...jsonResponse(ItemSchema, 'The updated item.'), headers: etagHeader },
    ...errorResponses(400, 404, 412, 413, 415, 422, 428, 500, 503),
  },
});

export const remove = protectedRoute('items:write', {
  method: 'delete',
  path: '/api/v1/items/{id}',
  tags,
  summary: 'Delete an item',
  description:
    'Soft delete: the item disappears from the API and is purged later. `If-Match` is honoured when sent ' +
    '(RFC 9110: `*` or a list of entity tags; no match gets 412, a malformed value 400).',
  request: {
    params: ItemIdParamsSchema,
    headers: z.object({ 'if-match': z.string().optional() }),
  },
  responses: {
    204: { description: 'Deleted.' },
    ...errorResponses(400, 404, 412, 422, 500, 503),
  },
});

export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type CreateRoute = typeof create;
export type UpdateRoute = typeof update;
export type RemoveRoute = typeof remove;
