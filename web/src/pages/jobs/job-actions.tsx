import { createSignal, Show } from 'solid-js';
import { notify } from '../../components/notices.tsx';
import { ApiProblem, api, call } from '../../lib/api.ts';
import { fetchJob, type Job } from '../../lib/jobs.ts';
import { can } from '../../lib/session.ts';
import { shortId } from './job-types.ts';

type Action = 'retry' | 'cancel';

const DONE: Record<Action, string> = { retry: 'queued again', cancel: 'cancelled' };

/**
 * Retry (failed or dead jobs) and Cancel (queued jobs), for callers who may change jobs.
 * Cancelling only stops a run that has not started, so it is not asked for twice. The
 * answer replaces the job on screen; a conflict (the job moved on meanwhile) says why
 * and shows the job's current state.
 */
export function JobActions(props: { job: Job; onChange: (job: Job) => void; onFocusLost?: () => void }) {
  const [busy, setBusy] = createSignal(false);
  const name = () => `${props.job.type} job ${shortId(props.job.id)}`;

  const run = async (action: Action, button: HTMLButtonElement) => {
    setBusy(true);
    const id = props.job.id;
    const label = name();
    try {
      const endpoint = action === 'retry' ? api.api.v1.jobs[':id'].retry : api.api.v1.jobs[':id'].cancel;
      props.onChange(await call(endpoint.$post({ param: { id } })));
      notify(`The ${label} was ${DONE[action]}.`);
    } catch (error) {
      notify(error instanceof Error ? error.message : `Could not ${action} the ${label}.`, 'error');
      if (error instanceof ApiProblem && error.status === 409) {
        await fetchJob(id).then(props.onChange, () => undefined);
      }
    } finally {
      setBusy(false);
      // The pressed button may be gone now (a cancelled job has no actions): keep focus nearby.
      if (button.isConnected) {
        if (document.activeElement === document.body) button.focus();
      } else props.onFocusLost?.();
    }
  };

  return (
    <Show when={can('jobs:write')}>
      <span class="actions">
        <Show when={props.job.status === 'failed' || props.job.status === 'dead'}>
          <button type="button" class="button small" disabled={busy()} onClick={(e) => run('retry', e.currentTarget)}>
            Retry <span class="visually-hidden">{name()}</span>
          </button>
        </Show>
        <Show when={props.job.status === 'queued'}>
          <button
            type="button"
            class="button small danger"
            disabled={busy()}
            onClick={(e) => run('cancel', e.currentTarget)}
          >
            Cancel <span class="visually-hidden">{name()}</span>
          </button>
        </Show>
      </span>
    </Show>
  );
}
