import { z } from '@hono/zod-openapi';
import { instant } from '../../../core/instant.ts';
import type { AuditLogRow } from '../../../db/schema.ts';
import { pageParams } from '../../lib/query.ts';

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    actorType: z.enum(['user', 'api_key', 'system', 'anonymous']),
    actorId: z.string().nullable(),
    action: z.string().openapi({ example: 'item.updated' }),
    entityType: z.string().openapi({ example: 'item' }),
    entityId: z.string(),
    before: z.unknown().nullable().openapi({ description: 'The entity before the change; null for a creation.' }),
    after: z.unknown().nullable().openapi({ description: 'The entity after the change; null for a removal.' }),
    requestId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('AuditEntry');

export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const param = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });
const text = z.string().trim().min(1).max(200);

export const ListAuditQuerySchema = z
  .object({
    ...pageParams(50),
    actorType: z.enum(['user', 'api_key', 'system', 'anonymous']).optional().openapi(param('actorType', 'Who acted.')),
    actorId: text.optional().openapi(param('actorId', 'The user or API key id.')),
    action: z
      .string()
      .trim()
      .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, 'must be an action like item.updated, or a prefix like item.*')
      .max(100)
      .optional()
      .openapi({ ...param('action', 'An exact action, or a prefix ending in `.*`.'), example: 'item.*' }),
    entityType: text.optional().openapi(param('entityType', 'e.g. `item`, `user`, `setting`.')),
    entityId: text.optional().openapi(param('entityId', 'The entity id (for settings: the key).')),
    from: instant().optional().openapi(param('from', 'Entries at or after this instant.')),
    to: instant().optional().openapi(param('to', 'Entries before this instant.')),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'must not be after to',
    path: ['from'],
  });

export const AuditListSchema = z
  .object({
    data: z.array(AuditEntrySchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .openapi('AuditList');

export function toAuditEntry(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    actorType: row.actorType as AuditEntry['actorType'],
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
  };
}
