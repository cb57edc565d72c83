import { queueStats } from '../../db/queries/jobs.ts';
import type { AppDeps } from '../deps.ts';

/**
 * Reads queue depth, the oldest due job's age and whether the database answers, into
 * gauges: at each scrape on Node, at each cron tick on Workers. Every replica reports
 * the same figures (they are the database's), so dashboards take the max.
 */
export async function recordQueueMetrics(deps: AppDeps): Promise<void> {
  const metrics = deps.telemetry?.metrics;
  if (!metrics) return;
  try {
    const stats = await queueStats(deps.db);
    const oldest = stats?.oldestQueuedAt ? new Date(stats.oldestQueuedAt).getTime() : undefined;
    metrics.queueDepth.set({ state: 'queued' }, stats?.queued ?? 0);
    metrics.queueDepth.set({ state: 'running' }, stats?.running ?? 0);
    metrics.queueOldestAge.set({}, oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    metrics.databaseUp.set({}, 1);
  } catch (error) {
    metrics.databaseUp.set({}, 0);
    deps.logger.warnThrottled('metrics: queue figures unavailable', { error });
  }
}
