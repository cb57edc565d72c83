import type { AppDeps } from '../core/deps.ts';
import { claimDueJobs, completeSerialized, releaseJob, serializeFinished } from '../db/queries/job-leases.ts';
import type { Database } from '../db/types.ts';
import { recoverStoppedWorkers } from './maintenance.ts';
import { type DefinitionLookup, type RunOutcome, runClaimedJob } from './runner.ts';
import { ensureDailyJobs } from './schedule.ts';

export interface DispatcherOptions {
  workerId?: string;
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  /** Enqueue the daily cleanup (on by default; one replica's insert wins each day). */
  schedule?: boolean;
  definitions?: DefinitionLookup;
}

export interface Dispatcher {
  readonly workerId: string;
  start(): void;
  /** Stops claiming, waits up to `timeoutMs` for running jobs, then gives the rest back to the queue. */
  stop(timeoutMs: number): Promise<void>;
  /** Polls now instead of at the next interval (called after an enqueue). */
  wake(): void;
  /** Claims and runs due jobs until none is due and none is running; returns how many ran. */
  drain(): Promise<number>;
  running(): number;
}

const SCHEDULE_EVERY_MS = 60_000;
// While the database is down, polls back off from the poll interval up to this.
const MAX_BACKOFF_MS = 30_000;
// The first wake-up claims at once; the rest within this window share one claim at its
// end: a burst of enqueues is two claims, not one each, and a lone enqueue waits for none.
const WAKE_COALESCE_MS = 25;

/**
 * The in-process job runner for Node: polls Postgres for due jobs, runs up to
 * `concurrency` at once, and is safe to run in many replicas against one database
 * (claims use `FOR UPDATE SKIP LOCKED`; leases recover jobs of a crashed replica).
 */
export function createDispatcher(deps: AppDeps, options: DispatcherOptions): Dispatcher {
  const workerId = options.workerId ?? `dispatcher:${crypto.randomUUID().slice(0, 8)}`;
  const active = new Map<string, Promise<RunOutcome>>();
  const stopping = new AbortController();
  let stopped = true;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let lastScheduled = Number.NEGATIVE_INFINITY;
  let lastRecovered = Number.NEGATIVE_INFINITY;
  let wakeScheduled = false;
  let lastWoken = Number.NEGATIVE_INFINITY;
  const complete = completionBatch(deps.db, workerId);

  async function fill(): Promise<number> {
    const free = options.concurrency - active.size;
    if (free <= 0) return 0;
    // Leases expire on a timescale of seconds: recovering them once per poll interval is
    // enough, and a refill after each finished job stays one statement.
    if (Date.now() - lastRecovered >= options.pollIntervalMs) {
      await recoverStoppedWorkers(deps);
      lastRecovered = Date.now();
    }
    const claimed = await claimDueJobs(deps.db, workerId, free, options.leaseMs);
    for (const job of claimed) {
      // This promise's owner: whatever happens in a run, it ends here, logged, never unhandled.
      const run = runClaimedJob(deps, job, workerId, {
        stop: stopping.signal,
        definitions: options.definitions,
        complete,
      })
        .catch((error: unknown): RunOutcome => {
          deps.logger.error('job run failed unexpectedly; the job runs again when its lease expires', {
            workerId,
            jobId: job.id,
            type: job.type,
            error,
          });
          return 'unrecorded';
        })
        .finally(() => {
          active.delete(job.id);
          wakeUp?.();
        });
      active.set(job.id, run);
    }
    return claimed.length;
  }

  async function poll(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      let claimed = 0;
      try {
        if (options.schedule !== false && Date.now() - lastScheduled >= SCHEDULE_EVERY_MS) {
          await ensureDailyJobs(deps);
          lastScheduled = Date.now();
        }
        claimed = await fill();
        if (failures > 0) deps.logger.info('dispatcher polling again', { workerId, failedPolls: failures });
        failures = 0;
      } catch (error) {
        failures++;
        deps.logger.warnThrottled('dispatcher poll failed; backing off', { workerId, failedPolls: failures, error });
      }
      // A full batch suggests more are due: go again as soon as a slot frees up.
      if (claimed > 0 && active.size < options.concurrency) continue;
      const delay = failures
        ? Math.min(options.pollIntervalMs * 2 ** Math.min(failures, 10), MAX_BACKOFF_MS)
        : options.pollIntervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
      // Jobs finishing in the same turn of the event loop share one claim.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    workerId,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = poll();
      deps.logger.info('dispatcher started', { workerId, concurrency: options.concurrency });
    },
    async stop(timeoutMs) {
      stopped = true;
      wakeUp?.();
      await loop;
      const finished = Promise.allSettled([...active.values()]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(resolve, timeoutMs, true);
        }),
      ]);
      clearTimeout(timer);
      if (late) {
        stopping.abort(new Error('dispatcher stopping'));
        const ids = [...active.keys()];
        // A job that cannot be released (the database is gone) is recovered when its lease expires.
        const released = await Promise.allSettled(ids.map((id) => releaseJob(deps.db, id, workerId)));
        const failed = released.filter((r) => r.status === 'rejected');
        deps.logger.warn('dispatcher stopped with jobs still running; released them', {
          workerId,
          released: ids,
          notReleased: failed.length || undefined,
          error: failed[0]?.reason,
        });
      }
      deps.logger.info('dispatcher stopped', { workerId });
    },
    wake() {
      if (wakeScheduled || stopped) return;
      const wait = lastWoken + WAKE_COALESCE_MS - Date.now();
      if (wait <= 0) {
        lastWoken = Date.now();
        wakeUp?.();
        return;
      }
      wakeScheduled = true;
      setTimeout(() => {
        wakeScheduled = false;
        lastWoken = Date.now();
        wakeUp?.();
      }, wait);
    },
    async drain() {
      let ran = 0;
      for (;;) {
        ran += await fill();
        if (active.size === 0) return ran;
        await Promise.race(active.values());
      }
    },
    running: () => active.size,
  };
}

interface Finished {
  id: string;
  /** `{ id, result }` as JSON. */
  json: string;
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/**
 * Successes recorded together: the jobs that finish in one turn of the event loop are
 * one statement and one commit (with the concurrency of a webhook queue, a commit per
 * job was a third of the database's time). Each caller learns whether its own job was
 * recorded; a failed statement fails every caller, and each retries as it would alone.
 */
function completionBatch(db: Database, workerId: string) {
  let pending: Finished[] = [];

  async function flush() {
    const batch = pending;
    pending = [];
    try {
      const recorded = await completeSerialized(
        db,
        workerId,
        batch.map((job) => job.json),
      );
      for (const job of batch) job.resolve(recorded.has(job.id));
    } catch (error) {
      for (const job of batch) job.reject(error);
    }
  }

  return (id: string, result: unknown) =>
    new Promise<boolean>((resolve, reject) => {
      // A result JSON cannot hold fails its own job here, not the others of its batch.
      const json = serializeFinished(id, result);
      if (!pending.length) setImmediate(() => void flush());
      pending.push({ id, json, resolve, reject });
    });
}
