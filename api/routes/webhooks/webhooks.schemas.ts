import { z } from '@hono/zod-openapi';
import type { WebhookRow } from '../../../db/schema.ts';
import { WEBHOOK_EVENTS } from '../../../vocabulary/enums.ts';

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.url(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Webhook');

export type Webhook = z.infer<typeof WebhookSchema>;

export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: 'The signing secret (`whsec_…`). Shown only in this response: store it now.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookWithSecret');

const url = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000, 'must be at most 2000 characters')
  .openapi({ example: 'https://example.com/hooks/edgeplane' });
const events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, 'subscribe to at least one event')
  .transform((list) => [...new Set(list)])
  .openapi({ description: 'The item events to deliver.' });
const description = z.string().trim().max(500, 'must be at most 500 characters').nullable();

export const CreateWebhookSchema = z
  .object({
    url,
    events,
    description: description.optional(),
    active: z.boolean().default(true),
  })
  .strict()
  .openapi('CreateWebhook');

export const UpdateWebhookSchema = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateWebhook');

export const WebhookListSchema = z.object({ data: z.array(WebhookSchema) }).openapi('WebhookList');

export const WebhookIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }),
});

/** The API representation of a row: never the secret. */
export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events as Webhook['events'],
    description: row.description,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
