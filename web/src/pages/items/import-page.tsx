import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import type { Job } from '../../lib/jobs.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { ImportForm } from './import-form.tsx';
import { ImportProgress } from './import-result.tsx';
import './items.css';

export default function ImportPage() {
  usePageTitle(() => 'Import items');
  const [job, setJob] = createSignal<Job>();
  return (
    <>
      <div class="page-header">
        <h1>Import items</h1>
        <A href="/items" class="button ghost">
          Back to items
        </A>
      </div>
      {/* Keyed: each import gets its own watcher. */}
      <Show when={job()} keyed fallback={<ImportForm onStarted={setJob} />}>
        {(started) => <ImportProgress job={started} onAgain={() => setJob(undefined)} />}
      </Show>
    </>
  );
}
