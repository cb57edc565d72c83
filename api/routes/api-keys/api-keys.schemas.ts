import { z } from '@hono/zod-openapi';
import type { ApiKeyRow } from '../../../db/schema.ts';
import { ROLES } from '../../../vocabulary/permissions.ts';

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart.' }),
    role: z.enum(ROLES),
    createdBy: z.uuid().nullable().openapi({ description: 'The user who created the key.' }),
    lastUsedAt: z.iso.datetime().nullable().openapi({ description: 'Recorded at most once a minute.' }),
    revokedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('ApiKey');

export type ApiKey = z.infer<typeof ApiKeySchema>;

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({
  key: z.string().openapi({
    description: 'The key (`ep_…`), to send as `Authorization: Bearer …`. Shown only in this response.',
    example: 'ep_q3XwzN8c0cPz4S1m9kU0b2yA7dVfLhRj5tEoGiWnB6s',
  }),
}).openapi('ApiKeyWithSecret');

export const CreateApiKeySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    role: z
      .enum(ROLES)
      .default('viewer')
      .openapi({ description: "What the key may do; at most the creator's own role." }),
  })
  .strict()
  .openapi('CreateApiKey');

export const ApiKeyListSchema = z.object({ data: z.array(ApiKeySchema) }).openapi('ApiKeyList');

export const ApiKeyIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }),
});

/** The API representation of a row: never the key or its hash. */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: row.createdBy,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
