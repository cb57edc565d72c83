import { A, useParams } from '@solidjs/router';
import { createResource, Match, Show, Switch } from 'solid-js';
import { Async, Empty } from '../../components/states.tsx';
import { ApiProblem } from '../../lib/api.ts';
import { fetchJob } from '../../lib/jobs.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { JobView } from './job-view.tsx';
import './jobs.css';

export default function JobPage() {
  const params = useParams<{ id: string }>();
  const [job, { mutate, refetch }] = createResource(() => params.id, fetchJob);
  let heading: HTMLHeadingElement | undefined;
  // A malformed id (422) is as missing as an unknown one (404).
  const missing = () => job.error instanceof ApiProblem && (job.error.status === 404 || job.error.status === 422);
  const loaded = () => (!job.error && (job.state === 'ready' || job.state === 'refreshing') ? job.latest : undefined);
  const title = () => (loaded() ? `Job ${loaded()?.type}` : 'Job');
  usePageTitle(title);

  return (
    <>
      <p class="back-link">
        <A href="/jobs">← All jobs</A>
      </p>
      <header class="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {title()}
        </h1>
      </header>
      <Switch>
        <Match when={missing()}>
          <Empty title="Job not found">
            <p>
              There is no job with this id; it may have been purged. <A href="/jobs">Back to the jobs</A>.
            </p>
          </Empty>
        </Match>
        <Match when={!missing()}>
          <Async of={job} retry={refetch} loading="Loading the job…">
            {(current) => (
              // A new job object (after Retry) starts a new watcher: the old one stops once the job finished.
              <Show when={current()} keyed>
                {(initial) => (
                  <JobView
                    initial={initial}
                    onChange={(next) => {
                      mutate(next);
                      heading?.focus();
                    }}
                  />
                )}
              </Show>
            )}
          </Async>
        </Match>
      </Switch>
    </>
  );
}
