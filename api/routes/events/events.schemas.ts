import { z } from '@hono/zod-openapi';

/** An action (`item.updated`) or every action of an entity (`item.*`). */
const TYPE_PATTERN = /^[a-z_]+\.(\*|[a-z_]+)$/;

export const EventsQuerySchema = z.object({
  types: z
    .string()
    .max(500)
    .transform((value) => value.split(',').map((type) => type.trim()))
    .pipe(z.array(z.string().regex(TYPE_PATTERN, 'must be like item.updated or item.*')).min(1).max(20))
    .optional()
    .openapi({
      param: { name: 'types', in: 'query' },
      description: 'Comma-separated actions or `entity.*` prefixes; default: everything the caller may read.',
      example: 'item.*,job.*',
    }),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({
      param: { name: 'after', in: 'query' },
      description: 'Resume after this event id (as `Last-Event-ID` does; the header wins). Default: from now on.',
    }),
});

export const EventsHeadersSchema = z.object({
  'last-event-id': z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'Sent by EventSource on reconnect: replay what followed this event, then go live.' }),
});

export const ChangeEventSchema = z
  .object({
    id: z.number().int().openapi({ description: 'The audit entry id; the SSE `id:` field carries it too.' }),
    type: z.string().openapi({ example: 'item.updated', description: 'The action; also the SSE `event:` field.' }),
    entityType: z.string().openapi({ example: 'item' }),
    entityId: z.string(),
    actorType: z.enum(['user', 'api_key', 'system', 'anonymous']),
    actorId: z.string().nullable(),
    at: z.iso.datetime(),
    data: z
      .unknown()
      .nullable()
      .openapi({ description: 'The entity after the change (items in their API shape); null for a removal.' }),
  })
  .openapi('ChangeEvent', {
    description:
      'One `data:` line of the stream. Other events: `ready` (sent first, with the position it starts from), ' +
      '`reset` (the id to resume from is older than the retention: reload, then reconnect without it) and ' +
      '`end` (the stream reached its longest life or the server is stopping: reconnect with Last-Event-ID).',
  });

export type ChangeEvent = z.infer<typeof ChangeEventSchema>;
