import type { InferRequestType, InferResponseType } from 'hono/client';
import { createEffect, createSignal, on } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, call } from '../../lib/api.ts';
import type { Job } from '../../lib/jobs.ts';
import { coalesce, useLive, usePollingFallback } from '../../lib/live.ts';
import { usePolling } from '../../lib/poll.ts';

export type JobListQuery = InferRequestType<typeof api.api.v1.jobs.$get>['query'];
type JobList = InferResponseType<typeof api.api.v1.jobs.$get, 200>;

/**
 * A live page of jobs: loaded when the query changes and refreshed, quietly, when the
 * change feed reports a job change (or every `intervalMs` while the feed is unavailable).
 * Rows are reconciled by id, so a refresh updates cells in place (no flicker, focus and
 * open controls stay put). A failed refresh keeps the rows and reports the error.
 */
export function useJobList(query: () => JobListQuery, intervalMs = 2000) {
  const [page, setPage] = createStore<JobList>({ data: [], nextCursor: null });
  const [loaded, setLoaded] = createSignal(false);
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<unknown>();
  const [updatedAt, setUpdatedAt] = createSignal(Date.now());
  let latest = 0;

  /** `quiet` for the periodic refresh: only a new query marks the list busy. */
  const load = async (quiet = false) => {
    const ticket = ++latest;
    if (!quiet) setLoading(true);
    try {
      const next = await call(api.api.v1.jobs.$get({ query: query() }));
      if (ticket !== latest) return; // a newer load (other filters) answers instead
      setPage(reconcile(next, { key: 'id' }));
      setLoaded(true);
      setUpdatedAt(Date.now());
      setError(undefined);
    } catch (err) {
      if (ticket === latest) setError(err);
    } finally {
      if (ticket === latest) setLoading(false);
    }
  };

  // The query is compared as text: a new object with the same filters is not a new query.
  createEffect(
    on(
      () => JSON.stringify(query()),
      () => load(),
    ),
  );
  const changed = coalesce(() => void load(true));
  useLive('job', changed, { onReset: changed });
  usePollingFallback(async () => {
    await load(true);
    return true;
  }, intervalMs);
  // Running jobs' durations move on between changes.
  usePolling(() => {
    if (page.data.some((job) => job.status === 'running')) setUpdatedAt(Date.now());
    return true;
  }, intervalMs);

  /** Puts a job the API just answered with in place of its row. */
  const replace = (job: Job) => setPage('data', (row) => row.id === job.id, reconcile(job));

  return { page, loaded, loading, error, updatedAt, reload: () => load(), replace };
}
