import { createSignal } from 'solid-js';
import { Field, FormError } from '../../components/field.tsx';
import { notify } from '../../components/notices.tsx';
import { ApiProblem, api, call } from '../../lib/api.ts';
import type { Job } from '../../lib/jobs.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES } from './item-data.ts';

const EXAMPLE = `title,status,priority,tags,dueAt
Write the docs,pending,high,docs;q3,2030-07-01T00:00:00Z
Fix the login page,in_progress,urgent,web|auth,`;

const isJson = (file: File) => file.type === 'application/json' || file.name.toLowerCase().endsWith('.json');

/** Where the API's complaint about an unreadable file is shown: beside the control it came from. */
type FileProblem = { on: 'file' | 'csv'; message: string };

/** Sends a file (or pasted CSV) as it is; the API reads it and answers with the import job. */
export function ImportForm(props: { onStarted: (job: Job) => void }) {
  const [file, setFile] = createSignal<File>();
  const [text, setText] = createSignal('');
  const [problem, setProblem] = createSignal<FileProblem>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  let formRef: HTMLFormElement | undefined;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    setProblem(undefined);
    const chosen = file();
    if (!chosen && !text().trim()) {
      setError('Choose a file or paste CSV text to import.');
      return;
    }
    setBusy(true);
    try {
      const body = chosen ? await chosen.text() : text();
      const type = chosen && isJson(chosen) ? 'application/json' : 'text/csv';
      // The client has no type for a raw body: it goes in `init`, its type in the headers.
      const job = await call(
        api.api.v1.items.import.$post({ header: {} }, { headers: { 'content-type': type }, init: { body } }),
      );
      notify('Import started');
      props.onStarted(job);
    } catch (err) {
      const failure = err instanceof ApiProblem ? err : new ApiProblem(0);
      const where = failure.problem?.errors?.[0];
      if (failure.status !== 422 || !where) {
        setError(failure.message);
        return;
      }
      const at = where.field === '(file)' ? '' : ` (${where.field})`;
      setProblem({ on: chosen ? 'file' : 'csv', message: `${failure.message}${at}` });
      queueMicrotask(() => formRef?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    } finally {
      setBusy(false);
    }
  };

  const problemOn = (on: FileProblem['on']) => (problem()?.on === on ? problem()?.message : undefined);

  return (
    <div class="grid">
      <form class="form card" ref={formRef} onSubmit={submit} novalidate>
        <FormError message={error()} />
        <Field label="File" name="file" error={problemOn('file')} hint="A .csv or .json file in UTF-8.">
          {(control) => (
            <input
              {...control}
              type="file"
              accept=".csv,.json,text/csv,application/json"
              onChange={(e) => setFile(e.currentTarget.files?.[0])}
            />
          )}
        </Field>
        <p class="import-or">or</p>
        <Field
          label="CSV"
          name="csv"
          error={problemOn('csv')}
          hint="Paste CSV text here; a chosen file takes precedence."
        >
          {(control) => (
            <textarea {...control} rows={8} spellcheck={false} onInput={(e) => setText(e.currentTarget.value)} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Starting…' : 'Start import'}
          </button>
        </div>
      </form>
      <section class="card" aria-labelledby="import-help">
        <h2 id="import-help">What to send</h2>
        <p>
          CSV with a header row naming its columns. Only <code>title</code> is required; the others are optional:
        </p>
        <ul>
          <li>
            <code>description</code>, <code>status</code> ({ITEM_STATUSES.join(', ')}), <code>priority</code> (
            {ITEM_PRIORITIES.join(', ')})
          </li>
          <li>
            <code>tags</code>, separated by <code>;</code> or <code>|</code>
          </li>
          <li>
            <code>ownerId</code> (a user id) and <code>dueAt</code> (an ISO date and time)
          </li>
        </ul>
        <pre class="import-example">
          <code>{EXAMPLE}</code>
        </pre>
        <p class="muted">
          JSON: an array of items, each as the API creates them. Rows that are not valid are skipped and listed once the
          import has finished.
        </p>
      </section>
    </div>
  );
}
