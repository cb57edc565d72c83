import { A } from '@solidjs/router';
import { createEffect, on, Show } from 'solid-js';
import type { ImportResult } from '../../../../jobs/types/process-data.ts';
import { JobStatus } from '../../components/job-status.tsx';
import { notify } from '../../components/notices.tsx';
import { RejectedRows } from '../../components/rejected-rows.tsx';
import { Loading } from '../../components/states.tsx';
import { countOf, formatDateTime, formatNumber } from '../../lib/format.ts';
import { isFinished, type Job, useJobWatcher } from '../../lib/jobs.ts';

/** The job's result once it has one (it holds progress while running, the outcome once done). */
function resultOf(job: Job): ImportResult | undefined {
  const result: unknown = job.result;
  return result && typeof result === 'object' && 'inserted' in result ? (result as ImportResult) : undefined;
}

/** Follows an import job to its end and shows what it inserted and which rows it rejected, and why. */
export function ImportProgress(props: { job: Job; onAgain: () => void }) {
  const { job, error } = useJobWatcher(props.job);
  const result = () => resultOf(job());
  createEffect(
    on(
      () => job().status,
      (status) => {
        const done = result();
        if (status === 'succeeded' && done) {
          notify(
            `Import finished: ${countOf(done.inserted, 'row')} imported, ${formatNumber(done.rejectedCount)} rejected`,
            done.rejectedCount ? 'info' : 'success',
          );
        } else if (status === 'dead') notify('The import failed', 'error');
      },
      { defer: true },
    ),
  );

  return (
    <section class="card" aria-labelledby="import-progress">
      {/* The form that had focus is gone: the keyboard continues here. */}
      <h2 id="import-progress" tabIndex={-1} ref={(el) => queueMicrotask(() => el.focus())}>
        Import
      </h2>
      <dl class="item-details">
        <dt>Status</dt>
        <dd>
          <JobStatus job={job()} />
        </dd>
        <dt>Attempts</dt>
        <dd>
          {job().attempts} of {job().maxAttempts}
        </dd>
        <Show when={!isFinished(job()) && result()}>
          {(progress) => (
            <>
              <dt>Rows read</dt>
              <dd>
                {formatNumber(progress().checkpoint)} of {formatNumber(progress().total)}
              </dd>
            </>
          )}
        </Show>
      </dl>
      <Show when={!isFinished(job())}>
        <Loading label="Importing…" />
      </Show>
      <Show when={error()}>
        <p class="alert warning">Could not check on the import just now; trying again.</p>
      </Show>
      <Show when={job().status === 'failed'}>
        <p class="alert warning">
          The last attempt failed ({job().lastError}); it will be retried at {formatDateTime(job().runAt)}.
        </p>
      </Show>
      <Show when={job().status === 'dead'}>
        <div class="alert" role="alert">
          <strong>The import failed.</strong> {job().lastError ?? 'No reason was recorded.'}
        </div>
      </Show>
      <Show when={job().status === 'cancelled'}>
        <p class="alert info">The import was cancelled before it ran.</p>
      </Show>
      <Show when={job().status === 'succeeded' && result()}>{(done) => <ImportSummary result={done()} />}</Show>
      <div class="actions import-actions">
        <A href={`/jobs/${job().id}`} class="button">
          View job
        </A>
        <A href="/items" class="button">
          Go to items
        </A>
        <button type="button" class="button ghost" onClick={() => props.onAgain()}>
          Import another file
        </button>
      </div>
    </section>
  );
}

function ImportSummary(props: { result: ImportResult }) {
  const counts = () => (
    <>
      <strong>{formatNumber(props.result.inserted)}</strong> inserted,{' '}
      <strong>{formatNumber(props.result.rejectedCount)}</strong> rejected of {countOf(props.result.total, 'row')}.
    </>
  );
  return (
    <Show when={props.result.rejectedCount} fallback={<p class="import-counts">{counts()}</p>}>
      <div class="alert warning import-counts">
        <p>{counts()}</p>
        <p>
          The rejected rows were not imported. Fix them in the file (each problem is listed below) and import just those
          rows again.
        </p>
      </div>
      <Show when={props.result.rejected.length}>
        <RejectedRows rows={props.result.rejected} count={props.result.rejectedCount} />
      </Show>
    </Show>
  );
}
