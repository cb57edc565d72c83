import type { InferResponseType } from 'hono/client';
import { createSignal } from 'solid-js';
import { api, call } from './api.ts';
import { usePolling } from './poll.ts';

export type Job = InferResponseType<(typeof api.api.v1.jobs)[':id']['$get'], 200>;

/** States a job does not leave by itself (a failed job is retried at `runAt`). */
export const FINISHED_STATES: readonly Job['status'][] = ['succeeded', 'dead', 'cancelled'];

export function isFinished(job: Pick<Job, 'status'>): boolean {
  return FINISHED_STATES.includes(job.status);
}

/**
 * How long the job's last run took, or has taken so far while it runs (`now`); undefined
 * before it has started.
 */
export function durationOf(
  job: Pick<Job, 'startedAt' | 'finishedAt' | 'status'>,
  now = Date.now(),
): number | undefined {
  if (!job.startedAt) return undefined;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : job.status === 'running' ? now : undefined;
  return end === undefined ? undefined : Math.max(0, end - Date.parse(job.startedAt));
}

export function fetchJob(id: string): Promise<Job> {
  return call(api.api.v1.jobs[':id'].$get({ param: { id } }));
}

/**
 * Follows one job until it finishes: starts from `initial` (the 202 answer) and polls
 * every `intervalMs`. A failed poll keeps the last known state and reports the error.
 */
export function useJobWatcher(initial: Job, intervalMs = 1000) {
  const [job, setJob] = createSignal<Job>(initial);
  const [error, setError] = createSignal<unknown>();
  usePolling(async () => {
    if (isFinished(job())) return false;
    try {
      const next = await fetchJob(initial.id);
      setJob(next);
      setError(undefined);
      return !isFinished(next);
    } catch (err) {
      setError(err);
      return true;
    }
  }, intervalMs);
  return { job, error };
}

/** How many rows a finished import rejected (0 for any other job). */
export function rejectedCountOf(job: Pick<Job, 'type' | 'result'>): number {
  if (job.type !== 'process-data' || !job.result || typeof job.result !== 'object') return 0;
  const count = (job.result as { rejectedCount?: unknown }).rejectedCount;
  return typeof count === 'number' ? count : 0;
}
