import type { AppDeps } from '../api/lib/types.ts';
import { scopedDeps } from '../api/observability/scope.ts';
import { parseTraceparent } from '../api/observability/trace-context.ts';
import type { Span } from '../api/observability/tracer.ts';
import { claimJob, completeJob, failJob, releaseJob, renewLease } from '../db/queries/job-leases.ts';
import { getJob } from '../db/queries/jobs.ts';
import type { JobRow } from '../db/schema.ts';
import { backoffMs } from './backoff.ts';
import { type JobDefinition, PermanentJobError } from './define.ts';
import { jobDefinition } from './registry.ts';

export type RunOutcome = 'succeeded' | 'failed' | 'dead' | 'released' | 'lost';

/** Finds the definition of a job type; the registry unless a caller brings its own. */
export type DefinitionLookup = (type: string) => JobDefinition | undefined;

export interface RunOptions {
  /** Aborts the handler (the worker is stopping). */
  stop?: AbortSignal;
  definitions?: DefinitionLookup;
}

/** What a failed attempt records (and the API shows): never SQL text or query parameters. */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Drizzle's query errors carry the full statement and its parameters; keep the driver's reason.
  if ('query' in error && error.cause instanceof Error) return `database error: ${error.cause.message}`;
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/**
 * Runs a job this worker has claimed: validates its payload, keeps its lease alive
 * while the handler works, then records success or the failed attempt. Every write
 * is fenced by the lease (`locked_by`), so a worker that lost the job changes nothing.
 */
export async function runClaimedJob(
  outer: AppDeps,
  job: JobRow,
  workerId: string,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const span = startJobSpan(outer, job, workerId);
  const context = span?.context ?? outer.trace ?? parseTraceparent(job.traceparent);
  const deps = context ? scopedDeps(outer, context) : outer;
  const { db, logger, config } = deps;
  const { stop, definitions = jobDefinition } = options;
  const started = Date.now();
  const controller = new AbortController();
  const abort = () => controller.abort(stop?.reason ?? new Error('worker stopping'));
  stop?.addEventListener('abort', abort, { once: true });
  const heartbeat = setInterval(
    () => {
      renewLease(db, job.id, workerId, config.jobs.leaseMs)
        .then((owned) => {
          if (!owned) controller.abort(new Error('lease lost'));
        })
        .catch((error: unknown) => logger.warn('lease renewal failed', { jobId: job.id, error: errorMessage(error) }));
    },
    Math.max(250, Math.floor(config.jobs.leaseMs / 3)),
  );

  let outcome: RunOutcome;
  let failure: string | undefined;
  try {
    const definition = definitions(job.type);
    if (!definition) throw new PermanentJobError(`unknown job type "${job.type}"`);
    const payload = definition.payload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError(`invalid payload: ${payload.error.message}`);
    const result = await definition.run({ deps, job, workerId, signal: controller.signal }, payload.data);
    outcome = (await completeJob(db, job.id, workerId, result)) ? 'succeeded' : 'lost';
  } catch (error) {
    failure = errorMessage(error);
    if (stop?.aborted) {
      // The worker is stopping, not the job failing: give it back without counting the attempt.
      outcome = (await releaseJob(db, job.id, workerId)) ? 'released' : 'lost';
    } else {
      const delay = backoffMs(job.attempts, config.jobs.backoffBaseMs, config.jobs.backoffMaxMs);
      const status = await failJob(db, job.id, workerId, {
        error: failure,
        retryAt: new Date(deps.clock().getTime() + delay),
        permanent: error instanceof PermanentJobError,
      });
      outcome = status ?? 'lost';
    }
  } finally {
    clearInterval(heartbeat);
    stop?.removeEventListener('abort', abort);
  }
  const durationMs = Date.now() - started;
  const metrics = deps.telemetry?.metrics;
  metrics?.jobRuns.inc({ type: job.type, outcome });
  metrics?.jobDuration.observe({ type: job.type, outcome }, durationMs / 1000);
  if (span) {
    span.setAttribute('edgeplane.job.outcome', outcome);
    if (failure && outcome !== 'released') span.recordError(new Error(failure));
    span.end();
  }
  const log = outcome === 'succeeded' ? logger.info : logger.warn;
  log('job run', {
    jobId: job.id,
    type: job.type,
    attempt: job.attempts,
    outcome,
    durationMs,
    requestId: job.requestId ?? undefined,
    traceId: context?.traceId,
    error: failure,
  });
  return outcome;
}

/**
 * A span for one attempt, in the trace of whatever delivers it (a QStash delivery
 * request) or else of the request that enqueued the job.
 */
function startJobSpan(deps: AppDeps, job: JobRow, workerId: string): Span | undefined {
  const tracer = deps.telemetry?.tracer;
  if (!tracer) return undefined;
  return tracer.startSpan(`job ${job.type}`, {
    parent: deps.trace ?? parseTraceparent(job.traceparent),
    kind: 'consumer',
    attributes: {
      'edgeplane.job.id': job.id,
      'edgeplane.job.type': job.type,
      'edgeplane.job.attempt': job.attempts,
      'edgeplane.worker.id': workerId,
      'edgeplane.request_id': job.requestId ?? undefined,
    },
  });
}

export type DeliveryOutcome = RunOutcome | 'already-finished' | 'busy' | 'missing';

/**
 * Runs one job by id, as a QStash delivery does. A job already finished (or
 * cancelled) is a no-op, so a duplicate delivery never repeats its effect.
 */
export async function deliverJob(
  deps: AppDeps,
  jobId: string,
  workerId: string,
  options: RunOptions = {},
): Promise<DeliveryOutcome> {
  const job = await claimJob(deps.db, jobId, workerId, deps.config.jobs.leaseMs);
  if (job) return runClaimedJob(deps, job, workerId, options);
  const current = await getJob(deps.db, jobId);
  if (!current) return 'missing';
  if (current.status === 'running') return 'busy';
  return 'already-finished';
}
