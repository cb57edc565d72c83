import type { InferResponseType } from 'hono/client';
import { createSignal } from 'solid-js';
import { api, call } from './api.ts';
import { type LiveEvent, useLive, usePollingFallback } from './live.ts';

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

/** What a `job.progress` event carries: the import's counts so far. */
interface ProgressEvent {
  status?: Job['status'];
  progress?: Record<string, unknown>;
}

/**
 * Follows one job until it finishes: starts from `initial` (the 202 answer) and follows
 * the change feed (every `intervalMs` while the feed is unavailable). A progress event
 * moves the counts on in place; any other change fetches the job (the feed leaves out its
 * payload and result). A failed fetch keeps the last known state and reports the error.
 */
export function useJobWatcher(initial: Job, intervalMs = 1000) {
  const [job, setJob] = createSignal<Job>(initial);
  const [error, setError] = createSignal<unknown>();
  let latest = 0;
  const refresh = async () => {
    const ticket = ++latest;
    try {
      const next = await fetchJob(initial.id);
      if (ticket !== latest) return !isFinished(job());
      setJob(next);
      setError(undefined);
      return !isFinished(next);
    } catch (err) {
      if (ticket === latest) setError(err);
      return true;
    }
  };
  const onEvent = (event: LiveEvent) => {
    if (event.type === 'job.progress') {
      const { status, progress } = (event.data ?? {}) as ProgressEvent;
      if (!progress || isFinished(job())) return;
      const result = job().result;
      setJob({
        ...job(),
        status: status ?? job().status,
        result: { ...(result && typeof result === 'object' ? result : {}), ...progress } as Job['result'],
      });
      return;
    }
    void refresh();
  };
  useLive('job', onEvent, { entityId: () => initial.id, onReset: () => void refresh() });
  usePollingFallback(() => (isFinished(job()) ? false : refresh()), intervalMs);
  return { job, error };
}

/** How many rows a finished import rejected (0 for any other job). */
export function rejectedCountOf(job: Pick<Job, 'type' | 'result'>): number {
  if (job.type !== 'process-data' || !job.result || typeof job.result !== 'object') return 0;
  const count = (job.result as { rejectedCount?: unknown }).rejectedCount;
  return typeof count === 'number' ? count : 0;
}
