import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { JobRow } from '../../db/schema.ts';
import { type EnqueueRequest, enqueue } from '../../jobs/enqueue.ts';
import { auditContext } from './audit-context.ts';
import { ApiError } from './errors.ts';
import type { HeaderFields } from './respond.ts';
import { stableJson } from './stable-json.ts';
import type { AppEnv } from './types.ts';

/** The request headers of every endpoint that starts a job. */
export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'Makes retries of this request safe: a repeat returns the original job.' }),
});

export const jobAcceptedHeaders = {
  Location: { schema: { type: 'string' as const }, description: 'The job URL.' },
  'Idempotent-Replayed': {
    schema: { type: 'string' as const },
    description: '`true` when an Idempotency-Key was repeated and the original job is returned.',
  },
};

/**
 * Enqueues the job a request asks for, with the request's actor and id. A repeated
 * Idempotency-Key returns the original job (flagged `Idempotent-Replayed`), unless
 * it was used for a different request: 409.
 */
export async function acceptJob(
  c: Context<AppEnv>,
  request: EnqueueRequest,
): Promise<{ job: JobRow; headers: HeaderFields }> {
  const { job, created } = await enqueue(c.get('deps'), request, auditContext(c));
  if (!created && (job.type !== request.type || stableJson(job.payload) !== stableJson(request.payload))) {
    throw new ApiError('conflict', {
      detail: 'This Idempotency-Key was already used for a different request.',
      errors: [{ field: 'idempotency-key', in: 'header', message: `already used by job ${job.id}` }],
    });
  }
  const headers: HeaderFields = { location: `/api/v1/jobs/${job.id}` };
  if (!created) headers['idempotent-replayed'] = 'true';
  return { job, headers };
}
