import type { InferRequestType } from 'hono/client';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { ITEM_STATUSES } from '../../../../vocabulary/enums.ts';
import { Badge } from '../../components/badge.tsx';
import { Field, FormError } from '../../components/field.tsx';
import { notify } from '../../components/notices.tsx';
import { ApiProblem, api, call } from '../../lib/api.ts';
import { humanize } from '../../lib/format.ts';
import { type Job, useJobWatcher } from '../../lib/jobs.ts';
import { ReportLink } from './jobs-table.tsx';

type ReportRequest = InferRequestType<typeof api.api.v1.reports.$post>['json'];

/** Follows the report job just started and offers its file once it is there. */
function ReportProgress(props: { initial: Job }) {
  const { job, error } = useJobWatcher(props.initial);
  createEffect(
    on(
      () => job().status,
      (status) => {
        if (status === 'succeeded') notify('The report is ready to download.');
        else if (status === 'dead') notify('The report could not be generated.', 'error');
      },
      { defer: true },
    ),
  );
  return (
    <div class="report-progress">
      <p>
        Report job: <Badge value={job().status} />
        <Show when={job().lastError}>{(message) => <span class="muted"> {message()}</span>}</Show>
        <Show when={error()}>
          <span class="muted"> (could not check on it just now; trying again)</span>
        </Show>
      </p>
      <ReportLink job={job()} label="Download report" />
    </div>
  );
}

/** Starts a generate-report job for the items matching an optional status. */
export function ReportForm(props: { onCreated: (job: Job) => void }) {
  const [job, setJob] = createSignal<Job>();
  const [problem, setProblem] = createSignal<ApiProblem>();
  const [busy, setBusy] = createSignal(false);
  const fields = () => problem()?.fieldErrors() ?? {};

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const status = String(form.get('status') ?? '') as (typeof ITEM_STATUSES)[number] | '';
    const json: ReportRequest = {
      format: form.get('format') === 'json' ? 'json' : 'csv',
      filter: status ? { status } : {},
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await call(api.api.v1.reports.$post({ json, header: {} }));
      setJob(created);
      props.onCreated(created);
      notify('Report job queued.', 'info');
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : new ApiProblem(0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card report-card" aria-labelledby="report-heading">
      <h2 id="report-heading">Generate a report</h2>
      <form class="report-form" onSubmit={submit} novalidate>
        <FormError message={problem() && !Object.keys(fields()).length ? problem()?.message : undefined} />
        <div class="form-row">
          <Field label="Format" name="format" error={fields().format}>
            {(control) => (
              <select {...control}>
                <option value="csv">CSV</option>
                <option value="json">JSON</option>
              </select>
            )}
          </Field>
          <Field label="Item status" name="status" error={fields()['filter.status']} hint="Leave empty for all items">
            {(control) => (
              <select {...control}>
                <option value="">Any status</option>
                <For each={ITEM_STATUSES}>{(status) => <option value={status}>{humanize(status)}</option>}</For>
              </select>
            )}
          </Field>
        </div>
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Starting…' : 'Generate report'}
          </button>
        </div>
      </form>
      <Show when={job()} keyed>
        {(started) => <ReportProgress initial={started} />}
      </Show>
    </section>
  );
}
