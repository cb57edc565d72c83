import { Show } from 'solid-js';
import { countOf } from '../lib/format.ts';
import { type Job, rejectedCountOf } from '../lib/jobs.ts';
import { Badge } from './badge.tsx';

/**
 * A job's state. An import that finished but rejected rows did not simply succeed: it says
 * so in the warning colour, not the success one.
 */
export function JobStatus(props: { job: Pick<Job, 'type' | 'status' | 'result'> }) {
  const rejected = () => (props.job.status === 'succeeded' ? rejectedCountOf(props.job) : 0);
  return (
    <Show when={rejected()} fallback={<Badge value={props.job.status} />}>
      {(count) => <span class="badge status-warning">Completed with {countOf(count(), 'rejected row')}</span>}
    </Show>
  );
}
