import { useSearchParams } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { JOB_STATUSES } from '../../../../vocabulary/enums.ts';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { CursorPager, createCursorTrail } from '../../components/cursor-pager.tsx';
import { Field } from '../../components/field.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { usePageTitle } from '../../lib/page-title.ts';
import { can } from '../../lib/session.ts';
import { JOB_TYPES } from './job-types.ts';
import { JobsTable } from './jobs-table.tsx';
import { ReportForm } from './report-form.tsx';
import { type JobListQuery, useJobList } from './use-job-list.ts';
import './jobs.css';

type Params = { type?: string; status?: string; cursor?: string };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'The server could not be reached.';
}

export default function JobsPage() {
  usePageTitle(() => 'Jobs');
  const [params, setParams] = useSearchParams<Params>();
  // The URL is trusted as far as the API validates it: an unknown value comes back as a 422.
  const query = (): JobListQuery => ({
    type: params.type || undefined,
    status: params.status || undefined,
    cursor: params.cursor || undefined,
  });
  const list = useJobList(query);
  const filter = (name: 'type' | 'status', value: string) =>
    setParams({ [name]: value || undefined, cursor: undefined });
  const filtered = () => !!(params.type || params.status);
  const trail = createCursorTrail(
    () => params.cursor || undefined,
    (cursor) => setParams({ cursor }),
  );

  return (
    <>
      <header class="page-header">
        <h1>Jobs</h1>
        <span class="muted">Refreshes every 2 seconds</span>
      </header>
      <Show when={can('reports:write')}>
        <ReportForm onCreated={() => void list.reload()} />
      </Show>
      <h2 class="visually-hidden">Job list</h2>
      <search aria-label="Filter jobs">
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <Field label="Type" name="type">
            {(control) => (
              <select {...control} onChange={(e) => filter('type', e.currentTarget.value)}>
                <option value="">All types</option>
                <For each={JOB_TYPES}>
                  {(type) => (
                    <option value={type} selected={params.type === type}>
                      {type}
                    </option>
                  )}
                </For>
              </select>
            )}
          </Field>
          <Field label="Status" name="status">
            {(control) => (
              <select {...control} onChange={(e) => filter('status', e.currentTarget.value)}>
                <ChoiceOptions of={JOB_STATUSES} selected={params.status} any="All statuses" />
              </select>
            )}
          </Field>
        </form>
      </search>
      <Switch>
        <Match when={!list.loaded() && list.error()}>
          <ErrorState error={list.error()} retry={() => void list.reload()} />
        </Match>
        <Match when={!list.loaded()}>
          <Loading label="Loading jobs…" />
        </Match>
        <Match when={list.loaded()}>
          <Show when={list.error()}>
            <p class="alert warning" role="alert">
              Could not refresh the list: {errorMessage(list.error())} Showing the last known state.
            </p>
          </Show>
          <Show
            when={list.page.data.length}
            fallback={<Empty title={filtered() ? 'No jobs match these filters' : 'No jobs yet'} />}
          >
            <JobsTable jobs={list.page.data} now={list.updatedAt()} busy={list.loading()} onChange={list.replace} />
          </Show>
          <CursorPager
            trail={trail}
            nextCursor={list.page.nextCursor}
            shown={list.page.data.length}
            pageSize={20}
            noun="jobs"
          />
        </Match>
      </Switch>
    </>
  );
}
