import type { AppDeps } from '../core/deps.ts';
import { enqueueJob } from '../db/queries/jobs.ts';

const SYSTEM = { actorType: 'system', actorId: 'scheduler', requestId: null } as const;

/**
 * Enqueues the daily cleanup once per UTC day. The idempotency key makes this safe
 * to call from every replica and every cron tick: only the first call inserts.
 */
export async function ensureDailyJobs(deps: AppDeps): Promise<boolean> {
  const day = deps.clock().toISOString().slice(0, 10);
  const { created } = await enqueueJob(
    deps.db,
    {
      type: 'cleanup',
      payload: {},
      maxAttempts: deps.config.jobs.maxAttempts,
      idempotencyKey: `cleanup:${day}`,
      createdBy: 'system:scheduler',
    },
    SYSTEM,
  );
  if (created) deps.telemetry?.metrics?.jobsEnqueued.inc({ type: 'cleanup' });
  return created;
}
