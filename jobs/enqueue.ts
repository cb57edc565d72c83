import type { AppDeps } from '../core/deps.ts';
import { beforeDeadline, LATE } from '../db/deadline.ts';
import type { AuditContext } from '../db/queries/audit.ts';
import { enqueueJob } from '../db/queries/jobs.ts';
import type { JobRow } from '../db/schema.ts';
import { jobDefinition } from './registry.ts';

export interface EnqueueRequest {
  type: string;
  payload: unknown;
  runAt?: Date;
  maxAttempts?: number;
  idempotencyKey?: string;
}

/**
 * Stores a job (with its audit row), then asks the queue to deliver it. Delivery
 * failing here loses nothing: the job is in Postgres and the relay or dispatcher
 * picks it up later.
 */
export async function enqueue(
  deps: AppDeps,
  request: EnqueueRequest,
  context: AuditContext,
): Promise<{ job: JobRow; created: boolean }> {
  const definition = jobDefinition(request.type);
  const result = await enqueueJob(
    deps.db,
    {
      type: request.type,
      payload: request.payload,
      runAt: request.runAt,
      maxAttempts: request.maxAttempts ?? definition?.maxAttempts ?? deps.config.jobs.maxAttempts,
      idempotencyKey: request.idempotencyKey,
      createdBy: context.actorId ? `${context.actorType}:${context.actorId}` : context.actorType,
      requestId: context.requestId,
      traceparent: context.traceparent,
    },
    context,
  );
  if (result.created) {
    deps.telemetry?.metrics?.jobsEnqueued.inc({ type: request.type });
    await flushQueue(deps);
  }
  return result;
}

/** How long a request waits for the queue to take its jobs before answering without it. */
export const FLUSH_WAIT_MS = 2_000;

/**
 * Hands queued jobs to the queue, logging (not throwing) when it is unreachable, and
 * waiting for it at most FLUSH_WAIT_MS: the QStash SDK sets no time limit on a publish
 * (and retries a refused one for about 4 s), so a QStash that stalls would hold every
 * request that enqueues a job. A flush still running then goes on by itself; whatever it
 * does not publish stays queued in Postgres for the relay. The relay itself (upkeep, no
 * request waiting) passes `waitMs: Infinity`.
 */
export async function flushQueue(deps: AppDeps, waitMs = FLUSH_WAIT_MS): Promise<void> {
  const flushing = deps.queue.flush().catch((error: unknown) => {
    deps.logger.warnThrottled('job queue flush failed; queued jobs will be relayed later', { error });
  });
  if (!Number.isFinite(waitMs)) {
    await flushing;
    return;
  }
  if ((await beforeDeadline(flushing, waitMs)) === LATE) {
    deps.logger.warnThrottled(
      `job queue did not take the jobs within ${waitMs} ms; answering without it, queued jobs will be relayed later`,
    );
  }
}
