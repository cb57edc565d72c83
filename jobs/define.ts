import type { z } from 'zod';
import type { AppDeps } from '../core/deps.ts';
import type { JobRow } from '../db/schema.ts';

/** What a job handler gets besides its payload. */
export interface JobContext {
  deps: AppDeps;
  job: JobRow;
  /** The worker holding the job's lease; effects guarded by it run at most once. */
  workerId: string;
  /** Aborted when the lease is lost or the worker stops: stop early, the job is retried. */
  signal: AbortSignal;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  payload: S;
  /**
   * Enqueued only by the platform itself (webhook deliveries, imports with their own
   * endpoint), never through `POST /api/v1/jobs`.
   */
  internal?: boolean;
  /** Overrides JOB_MAX_ATTEMPTS for this type. */
  maxAttempts?: number;
  /** What the API shows of a payload (e.g. an import's size instead of its content). */
  describePayload?(payload: z.infer<S>): unknown;
  /** Performs the job; the returned JSON becomes the job's `result`. Throw to fail the attempt. */
  run(ctx: JobContext, payload: z.infer<S>): Promise<unknown>;
}

/** Declares a job type (a typed identity: keeps the payload type tied to the handler). */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** A failure that retrying cannot fix (bad payload, a deleted target): the job goes dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
