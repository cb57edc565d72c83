import type { JobType } from '../../../../jobs/registry.ts';
import { apiUrl } from '../../lib/api.ts';
import type { Job } from '../../lib/jobs.ts';

// A record rather than a list: the type checker then insists on every registered job type.
const TYPES: Record<JobType, true> = {
  cleanup: true,
  'send-notification': true,
  'process-data': true,
  'generate-report': true,
};

/** Every job type, for the type filter. */
export const JOB_TYPES = Object.keys(TYPES) as JobType[];

/** The first block of the id: enough to tell jobs apart on screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Whether a job offers anything to do: Retry, Cancel (for `mayChange` callers) or a report download. */
export function hasActions(job: Pick<Job, 'id' | 'type' | 'status'>, mayChange: boolean): boolean {
  const changeable = job.status === 'failed' || job.status === 'dead' || job.status === 'queued';
  return (mayChange && changeable) || !!reportUrl(job);
}

/** Where a succeeded generate-report job's file can be downloaded, or undefined for any other job. */
export function reportUrl(job: Pick<Job, 'id' | 'type' | 'status'>): string | undefined {
  return job.type === 'generate-report' && job.status === 'succeeded' ? apiUrl(`/api/v1/reports/${job.id}`) : undefined;
}
