import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import type { Job } from '../../lib/jobs.ts';
import { JobActions } from './job-actions.tsx';
import { reportUrl, shortId } from './job-types.ts';

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
  return (
    <div class="table-wrap">
      <table class="responsive-table jobs-table" aria-busy={props.busy}>
        <caption class="visually-hidden">Jobs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Created</th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.jobs}>
            {(job) => {
              let row: HTMLTableRowElement | undefined;
              return (
                <tr ref={row}>
                  <td data-label="Type">
                    <span>
                      <A href={`/jobs/${job.id}`}>{job.type}</A> <code class="muted">{shortId(job.id)}</code>
                    </span>
                  </td>
                  <td data-label="Status">
                    <Badge value={job.status} />
                  </td>
                  <td data-label="Attempts">
                    {job.attempts} / {job.maxAttempts}
                  </td>
                  <td data-label="Created">
                    <time datetime={job.createdAt} title={formatDateTime(job.createdAt)}>
                      {formatRelative(job.createdAt, props.now)}
                    </time>
                  </td>
                  <td data-label="Last error">
                    <Show when={job.lastError} fallback={<span class="muted">—</span>}>
                      {(message) => (
                        <span class="truncate" title={message()}>
                          {message()}
                        </span>
                      )}
                    </Show>
                  </td>
                  <td data-label="Actions">
                    <span class="actions">
                      <JobActions
                        job={job}
                        onChange={props.onChange}
                        onFocusLost={() => row?.querySelector<HTMLElement>('a')?.focus()}
                      />
                      <ReportLink job={job} />
                    </span>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
