import { type JSX, Show } from 'solid-js';
import type { ImportResult } from '../../../../jobs/types/process-data.ts';
import { Actor } from '../../components/actor.tsx';
import { JobStatus } from '../../components/job-status.tsx';
import { RejectedRows } from '../../components/rejected-rows.tsx';
import { formatDateTimeSeconds, formatDuration } from '../../lib/format.ts';
import { durationOf, isFinished, type Job, useJobWatcher } from '../../lib/jobs.ts';
import { JobActions } from './job-actions.tsx';
import { ReportLink } from './jobs-table.tsx';

function Fact(props: { term: string; children: JSX.Element }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function Json(props: { value: unknown }) {
  return (
    <pre class="job-json">
      <code>{JSON.stringify(props.value, null, 2)}</code>
    </pre>
  );
}

/** Who queued the job (`user:<id>`, `api_key:<id>`, `system:scheduler`), by name where there is one. */
function CreatedBy(props: { value: string | null }) {
  const parts = () => {
    const [type = '', ...id] = (props.value ?? '').split(':');
    return { type, id: id.join(':') || null };
  };
  return (
    <Show when={props.value} fallback="—">
      <Actor type={parts().type} id={parts().id} />
    </Show>
  );
}

/** The rejected rows a process-data job listed in its result, if any. */
function rejectedRows(job: Job): ImportResult['rejected'] {
  if (job.type !== 'process-data' || !job.result || typeof job.result !== 'object') return [];
  const rejected = (job.result as Partial<ImportResult>).rejected;
  return Array.isArray(rejected) ? rejected : [];
}

/** One job, followed until it finishes. */
export function JobView(props: { initial: Job; onChange: (job: Job) => void }) {
  const { job, error } = useJobWatcher(props.initial);
  const rejected = () => rejectedRows(job());
  const rejectedCount = () => (job().result as Partial<ImportResult> | null)?.rejectedCount ?? rejected().length;

  return (
    <div class="job-sections">
      <section class="card" aria-label="Summary">
        <dl class="job-facts">
          <Fact term="Status">
            <span aria-live="polite">
              <JobStatus job={job()} />
            </span>
            <Show when={!isFinished(job())}>
              <span class="muted"> (following)</span>
            </Show>
          </Fact>
          <Fact term="Type">{job().type}</Fact>
          <Fact term="Id">
            <code>{job().id}</code>
          </Fact>
          <Fact term="Attempts">
            {job().attempts} / {job().maxAttempts}
          </Fact>
          <Fact term="Run at">{formatDateTimeSeconds(job().runAt)}</Fact>
          <Fact term="Created">{formatDateTimeSeconds(job().createdAt)}</Fact>
          <Fact term="Started">{formatDateTimeSeconds(job().startedAt)}</Fact>
          <Fact term="Finished">{formatDateTimeSeconds(job().finishedAt)}</Fact>
          <Fact term={job().status === 'running' ? 'Running for' : 'Duration'}>
            {formatDuration(durationOf(job()))}
          </Fact>
          <Fact term="Created by">
            <CreatedBy value={job().createdBy} />
          </Fact>
          <Fact term="Request id">{job().requestId ? <code>{job().requestId}</code> : '—'}</Fact>
        </dl>
        <Show when={error()}>
          <p class="muted">Could not check on the job just now; trying again.</p>
        </Show>
        <div class="actions job-actions">
          <JobActions job={job()} onChange={props.onChange} />
          <ReportLink job={job()} label="Download report" />
        </div>
      </section>
      <Show when={job().lastError}>
        {(message) => (
          <section class="alert" aria-labelledby="job-error">
            <h2 id="job-error">Last error</h2>
            <p>{message()}</p>
          </section>
        )}
      </Show>
      <Show when={rejected().length}>
        <section class="card" aria-labelledby="job-rejected">
          <h2 id="job-rejected">Rejected rows ({rejectedCount()})</h2>
          <RejectedRows rows={rejected()} count={rejectedCount()} />
        </section>
      </Show>
      <section class="card" aria-labelledby="job-payload">
        <h2 id="job-payload">Payload</h2>
        <Json value={job().payload} />
      </section>
      <section class="card" aria-labelledby="job-result">
        <h2 id="job-result">Result</h2>
        <Show when={job().result != null} fallback={<p class="muted">No result yet.</p>}>
          <Json value={job().result} />
        </Show>
      </section>
    </div>
  );
}
