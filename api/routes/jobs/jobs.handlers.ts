import { z } from 'zod';
import { verifyDelivery } from '../../../core/queue/qstash.ts';
import * as queries from '../../../db/queries/jobs.ts';
import { flushQueue } from '../../../jobs/enqueue.ts';
import { deliverJob } from '../../../jobs/runner.ts';
import { acceptJob } from '../../lib/accept-job.ts';
import { auditContext } from '../../lib/audit-context.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { ApiError } from '../../lib/errors.ts';
import { json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { CancelRoute, DeliverRoute, EnqueueRoute, GetRoute, ListRoute, RetryRoute } from './jobs.routes.ts';
import { toJob } from './jobs.schemas.ts';

const LIST_SORT = '-created';

export const enqueue: AppRouteHandler<EnqueueRoute> = async (c) => {
  const body = c.req.valid('json') as { type: string; payload: unknown; runAt?: string; maxAttempts?: number };
  const { job, headers } = await acceptJob(c, {
    type: body.type,
    payload: body.payload,
    runAt: body.runAt ? new Date(body.runAt) : undefined,
    maxAttempts: body.maxAttempts,
    idempotencyKey: c.req.valid('header')['idempotency-key'],
  });
  return json(c, toJob(job), 202, headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid('query');
  const page = await queries.listJobs(c.get('deps').db, {
    limit: query.limit,
    type: query.type,
    status: query.status,
    after: query.cursor ? decodeCursor(query.cursor, LIST_SORT) : undefined,
  });
  return json(
    c,
    { data: page.rows.map(toJob), nextCursor: page.next ? encodeCursor(LIST_SORT, page.next) : null },
    200,
  );
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await queries.getJob(c.get('deps').db, id);
  if (!row) throw notFound(id);
  return json(c, toJob(row), 200);
};

export const retry: AppRouteHandler<RetryRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const result = await queries.retryJob(c.get('deps').db, id, auditContext(c));
  if (!result.ok) throw transitionRefused(id, result.current?.status, 'retried', 'failed or dead');
  await flushQueue(c.get('deps'));
  return json(c, toJob(result.job), 200);
};

export const cancel: AppRouteHandler<CancelRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const result = await queries.cancelJob(c.get('deps').db, id, auditContext(c));
  if (!result.ok) throw transitionRefused(id, result.current?.status, 'cancelled', 'queued');
  return json(c, toJob(result.job), 200);
};

export const deliver: AppRouteHandler<DeliverRoute> = async (c) => {
  const deps = c.get('deps');
  if (deps.config.jobs.delivery !== 'qstash') {
    throw new ApiError('not_found', { detail: 'QStash delivery is not configured on this instance.' });
  }
  const signature = c.req.valid('header')['upstash-signature'];
  // The signature covers the exact bytes QStash sent, so verify before parsing.
  const body = await c.req.text();
  if (!signature || !(await verifyDelivery(deps.config, signature, body))) {
    throw new ApiError('unauthorized', { detail: 'Missing or invalid Upstash-Signature.' });
  }
  const parsed = DeliverySchema.safeParse(safeJson(body));
  if (!parsed.success)
    throw new ApiError('invalid_request', { detail: 'The delivery body must be {"jobId": "<uuid>"}.' });
  const { jobId } = parsed.data;
  const workerId = `qstash:${c.req.header('upstash-message-id') ?? c.get('requestId')}`;
  const outcome = await deliverJob(deps, jobId, workerId);
  switch (outcome) {
    case 'succeeded':
    case 'dead':
    case 'already-finished':
    case 'missing':
      return json(c, { jobId, outcome }, 200);
    case 'failed':
      throw new ApiError('job_attempt_failed', {
        detail: `Job ${jobId} failed this attempt; QStash retries it.`,
        extensions: { jobId, outcome },
      });
    case 'busy':
    case 'released':
    case 'lost':
      throw new ApiError('service_unavailable', {
        detail: `Job ${jobId} is being run by another delivery.`,
        headers: { 'retry-after': '30' },
        extensions: { jobId, outcome },
      });
    case 'unrecorded':
      // QStash redelivers; by then the lease has run out or the result is recorded.
      throw new ApiError('service_unavailable', {
        detail: `Job ${jobId} ran, but the database could not record its outcome; deliver it again later.`,
        headers: { 'retry-after': '30' },
        extensions: { jobId, outcome },
      });
  }
};

const DeliverySchema = z.object({ jobId: z.uuid() });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function notFound(id: string) {
  return new ApiError('not_found', { detail: `Job ${id} does not exist.` });
}

function transitionRefused(id: string, status: string | undefined, verb: string, allowed: string) {
  if (!status) return notFound(id);
  return new ApiError('conflict', {
    detail: `Job ${id} is ${status}; only ${allowed} jobs can be ${verb}.`,
    extensions: { currentStatus: status },
  });
}
