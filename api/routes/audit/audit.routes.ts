import { errorResponses } from '../../lib/errors.ts';
import { protectedRoute } from '../route.ts';
import { AuditListSchema, ListAuditQuerySchema } from './audit.schemas.ts';

export const list = protectedRoute('audit:read', {
  method: 'get',
  path: '/api/v1/audit',
  tags: ['Audit'],
  summary: 'Read the audit log',
  description:
    'Every change made through the API, newest first, cursor-paginated. Filter by actor, action (exact or ' +
    'a `prefix.*`), entity and a time range (`from` inclusive, `to` exclusive).',
  request: { query: ListAuditQuerySchema },
  responses: {
    200: { description: 'A page of entries.', content: { 'application/json': { schema: AuditListSchema } } },
    ...errorResponses(400, 422, 500, 503),
  },
});

export type ListRoute = typeof list;
