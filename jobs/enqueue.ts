import type { AppDeps } from '../core/deps.ts';
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

/** Hands queued jobs to the queue, logging (not throwing) when it is unreachable. */
export async function flushQueue(deps: AppDeps): Promise<void> {
  try {
    await deps.queue.flush();
  } catch (error) {
    deps.logger.warnThrottled('job queue flush failed; queued jobs will be relayed later', { error });
  }
}
