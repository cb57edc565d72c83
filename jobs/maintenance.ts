import type { AppDeps } from '../core/deps.ts';
import { reapExpiredLeases, requeueExpiredLeases } from '../db/queries/job-leases.ts';
import { flushQueue } from './enqueue.ts';
import { ensureDailyJobs } from './schedule.ts';

/**
 * Periodic upkeep where QStash delivers (the Worker's cron, or a timer on Node):
 * jobs whose worker died mid-run go back to the queue (or die on their last
 * attempt), the daily cleanup is enqueued, and the outbox relay publishes anything
 * not yet handed to QStash.
 */
export async function runMaintenance(deps: AppDeps): Promise<{ requeued: number; dead: number; scheduled: boolean }> {
  const requeued = await requeueExpiredLeases(deps.db);
  const dead = await reapExpiredLeases(deps.db);
  const scheduled = await ensureDailyJobs(deps);
  await flushQueue(deps);
  if (requeued.length || dead.length) {
    deps.logger.warn('recovered jobs of workers that stopped', { requeued: requeued.length, dead: dead.length });
  }
  return { requeued: requeued.length, dead: dead.length, scheduled };
}
