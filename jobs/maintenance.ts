import type { AppDeps } from '../core/deps.ts';
import { recoverExpiredLeases } from '../db/queries/job-leases.ts';
import { flushQueue } from './enqueue.ts';
import { ensureDailyJobs } from './schedule.ts';

/**
 * Periodic upkeep where QStash delivers (the Worker's cron, or a timer on Node):
 * jobs whose worker died mid-run go back to the queue (or die on their last
 * attempt), the daily cleanup is enqueued, and the outbox relay publishes anything
 * not yet handed to QStash.
 */
export async function runMaintenance(deps: AppDeps): Promise<{ requeued: number; dead: number; scheduled: boolean }> {
  const { requeued, dead } = await recoverStoppedWorkers(deps);
  const scheduled = await ensureDailyJobs(deps);
  // No request waits on upkeep: the relay takes as long as the queue does.
  await flushQueue(deps, Number.POSITIVE_INFINITY);
  return { requeued, dead, scheduled };
}

/**
 * Jobs whose worker died mid-run (its lease expired) go back to the queue, or die on
 * their last attempt; logged when there were any.
 */
export async function recoverStoppedWorkers(deps: AppDeps): Promise<{ requeued: number; dead: number }> {
  const recovered = await recoverExpiredLeases(deps.db);
  const dead = recovered.filter((job) => job.status === 'dead').length;
  const requeued = recovered.length - dead;
  if (recovered.length) deps.logger.warn('recovered jobs of workers that stopped', { requeued, dead });
  return { requeued, dead };
}
