import type { AppDeps } from '../core/deps.ts';
import { scopedDeps } from '../core/observability/scope.ts';
import { parseTraceparent } from '../core/observability/trace-context.ts';
import type { Span } from '../core/observability/tracer.ts';
import { classifyDbError, describeError } from '../db/errors.ts';
import { claimJob, completeJob, failJob, releaseJob, renewLease } from '../db/queries/job-leases.ts';
import { getJob } from '../db/queries/jobs.ts';
import type { JobRow } from '../db/schema.ts';
import { backoffMs } from './backoff.ts';
import { type JobDefinition, PermanentJobError } from './define.ts';
import { jobDefinition } from './registry.ts';

/**
 * `lost`: another worker holds the job now. `unrecorded`: the database could not be
 * told how the attempt ended; the job keeps its lease until it expires, then runs again.
 */
export type RunOutcome = 'succeeded' | 'failed' | 'dead' | 'released' | 'lost' | 'unrecorded';

/** Finds the definition of a job type; the registry unless a caller brings its own. */
export type DefinitionLookup = (type: string) => JobDefinition | undefined;

export interface RunOptions {
  /** Aborts the handler (the worker is stopping). */
  stop?: AbortSignal;
  definitions?: DefinitionLookup;
  /**
   * Records a success; false when the lease was lost. The dispatcher batches these;
   * by default one statement per job.
   */
  complete?: (id: string, result: unknown) => Promise<boolean>;
}

// Recording an outcome rides over a blip of this long before the job is left to its lease.
const RECORD_ATTEMPTS = 3;
const RECORD_RETRY_MS = 250;

/** What a failed attempt records (and the API shows): never SQL text or query parameters. */
function errorMessage(error: unknown): string {
  // A database error is described without its statement, parameters or quoted values.
  const described = describeError(error);
  if (described.class) return `database error: ${described.message}`;
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/**
 * Records how an attempt ended, retrying a few times while the database is unavailable.
 * Never throws: when the outcome cannot be written, the job stays `running` under its
 * lease, and the reaper gives it back to the queue once the lease expires.
 */
async function record(deps: AppDeps, job: JobRow, write: () => Promise<RunOutcome>): Promise<RunOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt < RECORD_ATTEMPTS && classifyDbError(error) === 'unavailable') {
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS * attempt));
        continue;
      }
      deps.logger.warnThrottled('job outcome not recorded: the job runs again when its lease expires', {
        jobId: job.id,
        type: job.type,
        error,
      });
      return 'unrecorded';
    }
  }
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
  const {
    stop,
    definitions = jobDefinition,
    complete = (id, result) => completeJob(db, id, workerId, result),
  } = options;
  const started = Date.now();
  // The handler stops when the worker stops or the lease is lost. `AbortSignal.any`, not a
  // listener per job on the worker's signal: 32 jobs in flight would pass Node's limit of 10
  // listeners and warn of a leak.
  const controller = new AbortController();
  const signal = stop ? AbortSignal.any([stop, controller.signal]) : controller.signal;
  const heartbeat = setInterval(
    () => {
      renewLease(db, job.id, workerId, config.jobs.leaseMs)
        .then((owned) => {
          if (!owned) controller.abort(new Error('lease lost'));
        })
        .catch((error: unknown) => logger.warnThrottled('lease renewal failed', { jobId: job.id, error }));
    },
    Math.max(250, Math.floor(config.jobs.leaseMs / 3)),
  );

  let outcome: RunOutcome;
  let failure: string | undefined;
  try {
    let attempt: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      const definition = definitions(job.type);
      if (!definition) throw new PermanentJobError(`unknown job type "${job.type}"`);
      const payload = definition.payload.safeParse(job.payload);
      if (!payload.success) throw new PermanentJobError(`invalid payload: ${payload.error.message}`);
      attempt = {
        ok: true,
        result: await definition.run({ deps, job, workerId, signal }, payload.data),
      };
    } catch (error) {
      attempt = { ok: false, error };
    }
    if (attempt.ok) {
      const { result } = attempt;
      outcome = await record(deps, job, async () => ((await complete(job.id, result)) ? 'succeeded' : 'lost'));
    } else {
      const { error } = attempt;
      failure = errorMessage(error);
      outcome = await record(deps, job, async () => {
        // The worker is stopping, not the job failing: give it back without counting the attempt.
        if (stop?.aborted) return (await releaseJob(db, job.id, workerId)) ? 'released' : 'lost';
        const delay = backoffMs(job.attempts, config.jobs.backoffBaseMs, config.jobs.backoffMaxMs);
        const status = await failJob(db, job.id, workerId, {
          error: failure as string,
          retryAt: new Date(deps.clock().getTime() + delay),
          permanent: error instanceof PermanentJobError,
        });
        return status ?? 'lost';
      });
    }
  } finally {
    clearInterval(heartbeat);
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
