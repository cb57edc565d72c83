import { IdempotencyHeadersSchema, jobAcceptedHeaders } from '../../lib/accept-job.ts';
import { errorResponses } from '../../lib/errors.ts';
import { JobSchema } from '../jobs/jobs.schemas.ts';
import { protectedRoute } from '../route.ts';

export const importItems = protectedRoute('items:write', {
  method: 'post',
  path: '/api/v1/items/import',
  tags: ['Imports'],
  summary: 'Import items from CSV or JSON',
  description:
    'Starts a `process-data` job and answers 202 with it. Send the file as the body: `text/csv` with a header ' +
    'row naming any of `title` (required), `description`, `status`, `priority`, `tags` (separated by `;` or `|`), ' +
    '`ownerId`, `dueAt`; or `application/json`, an array of items as `POST /api/v1/items` takes them. Both in ' +
    'UTF-8, up to `IMPORT_MAX_BYTES`. A file that cannot be read (bad quoting, unknown column, not a JSON array) ' +
    'is refused with 422 and no job. Each row is validated like `POST /api/v1/items`: the job inserts the valid ' +
    'ones and lists the others in its result (`rejected: [{ line, errors }]`; for JSON, `line` is the position ' +
    'in the array).',
  request: {
    headers: IdempotencyHeadersSchema,
    // Plain schemas, not zod: the handler reads the raw file, and rows are the job's to validate.
    body: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string', example: 'title,status,tags\nWrite docs,pending,docs;q3\n' } },
        'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/CreateItem' } } },
      },
    },
  },
  responses: {
    202: {
      description: 'The import job, queued (or the original job for a replayed Idempotency-Key).',
      content: { 'application/json': { schema: JobSchema } },
      headers: jobAcceptedHeaders,
    },
    ...errorResponses(409, 413, 415, 422, 500, 503),
  },
});

export type ImportItemsRoute = typeof importItems;
