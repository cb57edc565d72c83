import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { JobStatus } from '../../components/job-status.tsx';
import { formatDateTimeSeconds, formatDuration, formatRelative } from '../../lib/format.ts';
import { durationOf, type Job } from '../../lib/jobs.ts';
import { can } from '../../lib/session.ts';
import { JobActions } from './job-actions.tsx';
import { hasActions, reportUrl, shortId } from './job-types.ts';

/** The report file of a succeeded generate-report job; in a table row the name says which report. */
export function ReportLink(props: { job: Job; label?: string }) {
  return (
    <Show when={reportUrl(props.job)}>
      {(href) => (
        <a class="button small" href={href()} download="">
          <Show
            when={props.label}
            fallback={
              <>
                Download <span class="visually-hidden">report {shortId(props.job.id)}</span>
              </>
            }
          >
            {props.label}
          </Show>
        </a>
      )}
    </Show>
  );
}

/** The jobs of one page; `now` keeps the relative times current between refreshes. */
export function JobsTable(props: { jobs: Job[]; now: number; onChange: (job: Job) => void; busy?: boolean }) {
  const columns: Column<Job>[] = [
    {
      label: 'Type',
      cell: (job) => (
        <span>
          <A href={`/jobs/${job.id}`}>{job.type}</A> <code class="muted">{shortId(job.id)}</code>
        </span>
      ),
    },
    { label: 'Status', cell: (job) => <JobStatus job={job} /> },
    {
      label: 'Attempts',
      cell: (job) => (
        <>
          {job.attempts} / {job.maxAttempts}
        </>
      ),
    },
    {
      label: 'Created',
      cell: (job) => (
        <time datetime={job.createdAt} title={formatDateTimeSeconds(job.createdAt)}>
          {formatRelative(job.createdAt, props.now)}
        </time>
      ),
    },
    {
      label: 'Duration',
      cell: (job) => (
        <span class="duration" classList={{ muted: job.status === 'running' }}>
          {formatDuration(durationOf(job, props.now))}
          {job.status === 'running' ? ' so far' : ''}
        </span>
      ),
    },
    {
      label: 'Last error',
      cell: (job) => (
        <Show when={job.lastError} fallback={<span class="muted">—</span>}>
          {(message) => (
            <span class="truncate" title={message()}>
              {message()}
            </span>
          )}
        </Show>
      ),
    },
    // An empty cell for a job with nothing to do: on phones the line is left out (styles.css).
    {
      label: 'Actions',
      cell: (job) =>
        hasActions(job, can('jobs:write')) ? <RowActions job={job} onChange={props.onChange} /> : undefined,
    },
  ];
  return (
    <DataTable class="jobs-table" caption="Jobs, newest first" columns={columns} rows={props.jobs} busy={props.busy} />
  );
}

function RowActions(props: { job: Job; onChange: (job: Job) => void }) {
  let actions: HTMLSpanElement | undefined;
  return (
    <span class="actions" ref={actions}>
      <JobActions
        job={props.job}
        onChange={props.onChange}
        // A button gone with the job's new state leaves the focus on the row's link.
        onFocusLost={() => actions?.closest('tr')?.querySelector<HTMLElement>('a')?.focus()}
      />
      <ReportLink job={props.job} />
    </span>
  );
}
