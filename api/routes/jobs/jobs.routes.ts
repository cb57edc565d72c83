import { z } from '@hono/zod-openapi';
import { IdempotencyHeadersSchema, jobAcceptedHeaders } from '../../lib/accept-job.ts';
import { errorResponses } from '../../lib/errors.ts';
import { jsonResponse, protectedRoute, publicRoute } from '../route.ts';
import { EnqueueJobSchema, JobIdParamsSchema, JobListSchema, JobSchema, ListJobsQuerySchema } from './jobs.schemas.ts';

const tags = ['Jobs'];

export const enqueue = protectedRoute('jobs:write', {
  method: 'post',
  path: '/api/v1/jobs',
  tags,
  summary: 'Enqueue a job',
  description:
    'The payload is validated for the job type. With an `Idempotency-Key`, repeating the request returns the ' +
    'original job (header `Idempotent-Replayed: true`); reusing the key for a different request is 409.',
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: EnqueueJobSchema } } },
  },
  responses: {
    202: {
      ...jsonResponse(JobSchema, 'The job, queued (or the original job for a replayed Idempotency-Key).'),
      headers: jobAcceptedHeaders,
    },
    ...errorResponses(400, 409, 413, 415, 422, 500, 503),
  },
});

export const list = protectedRoute('jobs:read', {
  method: 'get',
  path: '/api/v1/jobs',
  tags,
  summary: 'List jobs',
  description: 'Newest first; filter by type and status.',
  request: { query: ListJobsQuerySchema },
  responses: { 200: jsonResponse(JobListSchema, 'A page of jobs.'), ...errorResponses(400, 422, 500, 503) },
});

export const get = protectedRoute('jobs:read', {
  method: 'get',
  path: '/api/v1/jobs/{id}',
  tags,
  summary: 'Get a job',
  request: { params: JobIdParamsSchema },
  responses: { 200: jsonResponse(JobSchema, 'The job.'), ...errorResponses(404, 422, 500, 503) },
});

export const retry = protectedRoute('jobs:write', {
  method: 'post',
  path: '/api/v1/jobs/{id}/retry',
  tags,
  summary: 'Retry a failed or dead job',
  description: 'Queues the job again with a fresh set of attempts. Only `failed` and `dead` jobs can be retried (409).',
  request: { params: JobIdParamsSchema },
  responses: { 200: jsonResponse(JobSchema, 'The job, queued again.'), ...errorResponses(404, 409, 422, 500, 503) },
});

export const cancel = protectedRoute('jobs:write', {
  method: 'post',
  path: '/api/v1/jobs/{id}/cancel',
  tags,
  summary: 'Cancel a queued job',
  description: 'Only `queued` jobs can be cancelled (409 otherwise).',
  request: { params: JobIdParamsSchema },
  responses: { 200: jsonResponse(JobSchema, 'The cancelled job.'), ...errorResponses(404, 409, 422, 500, 503) },
});

export const deliver = publicRoute({
  method: 'post',
  path: '/api/v1/jobs/deliver',
  tags,
  summary: 'QStash delivery endpoint',
  description:
    'Called by QStash, not by clients. The `Upstash-Signature` is verified against the raw body and ' +
    '`PUBLIC_URL`; the job then runs. A finished job is acknowledged without running again; a failed ' +
    'attempt answers 500 so QStash retries it.',
  request: {
    headers: z.object({
      'upstash-signature': z.string().optional().openapi({ description: 'The JWT QStash signs each delivery with.' }),
    }),
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ jobId: z.uuid() }).openapi('JobDelivery') } },
    },
  },
  responses: {
    200: jsonResponse(
      z.object({ jobId: z.uuid(), outcome: z.enum(['succeeded', 'dead', 'already-finished', 'missing']) }),
      'The delivery is done with: the job ran, had already finished, or no longer exists.',
    ),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export type EnqueueRoute = typeof enqueue;
export type DeliverRoute = typeof deliver;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type RetryRoute = typeof retry;
export type CancelRoute = typeof cancel;
