import { z } from '@hono/zod-openapi';
import { GenerateReportPayloadSchema } from '../../../jobs/types/generate-report.ts';
import { IdempotencyHeadersSchema, jobAcceptedHeaders } from '../../lib/accept-job.ts';
import { errorResponses } from '../../lib/errors.ts';
import { JobSchema } from '../jobs/jobs.schemas.ts';
import { protectedRoute } from '../route.ts';

const tags = ['Reports'];

export const ReportIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'The id of the generate-report job.' }),
});

export const create = protectedRoute('reports:write', {
  method: 'post',
  path: '/api/v1/reports',
  tags,
  summary: 'Generate a report',
  description:
    'Starts a `generate-report` job (the same as `POST /api/v1/jobs` with that type) for the items matching ' +
    '`filter` (the filters of `GET /api/v1/items`). Once the job has succeeded, the report is at ' +
    '`/api/v1/reports/{job id}`.',
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: GenerateReportPayloadSchema } } },
  },
  responses: {
    202: {
      description: 'The report job, queued (or the original job for a replayed Idempotency-Key).',
      content: { 'application/json': { schema: JobSchema } },
      headers: jobAcceptedHeaders,
    },
    ...errorResponses(400, 409, 413, 415, 422, 500, 503),
  },
});

export const get = protectedRoute('reports:read', {
  method: 'get',
  path: '/api/v1/reports/{id}',
  tags,
  summary: 'Download a report',
  description:
    'The report a generate-report job stored, as an attachment: CSV (RFC 4180, a header row, tags joined with ' +
    "`;`, formula-like cells prefixed with `'`) or a JSON array of items. 404 until the job has succeeded; " +
    'the problem `detail` and `jobStatus` say whether it is still queued or running.',
  request: { params: ReportIdParamsSchema },
  responses: {
    200: {
      description: 'The report file.',
      headers: {
        'Content-Disposition': { schema: { type: 'string' }, description: '`attachment; filename="…"`.' },
      },
      content: {
        'text/csv': { schema: { type: 'string' } },
        'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } },
      },
    },
    ...errorResponses(404, 422, 500, 503),
  },
});

export type CreateRoute = typeof create;
export type GetRoute = typeof get;
