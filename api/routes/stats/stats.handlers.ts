import { appCache } from '../../../core/kv/cache.ts';
import { DURATION_WINDOW_DAYS, readStats } from '../../../db/queries/stats.ts';
import { JOB_DEFINITIONS } from '../../../jobs/registry.ts';
import { json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { GetRoute } from './stats.routes.ts';
import type { Stats } from './stats.schemas.ts';

// Versioned: during a rolling deploy, replicas with another response shape use another key.
const CACHE_KEY = 'stats:v1';

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const deps = c.get('deps');
  const ttl = deps.config.cacheSeconds.stats;
  const cache = appCache(deps);
  const now = deps.clock();
  let stats = ttl > 0 ? await cache.get<Stats>(CACHE_KEY) : undefined;
  if (!stats) {
    const figures = await readStats(deps.db, now);
    const knownTypes = Object.fromEntries(JOB_DEFINITIONS.map((d) => [d.type, 0]));
    stats = {
      generatedAt: now.toISOString(),
      items: figures.items,
      jobs: {
        ...figures.jobs,
        byType: { ...knownTypes, ...figures.jobs.byType },
        durationMs: { windowDays: DURATION_WINDOW_DAYS, ...figures.jobs.durationMs },
      },
    };
    await cache.set(CACHE_KEY, stats, ttl);
  }
  // A cached copy is only current for what is left of its TTL.
  const ageSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(stats.generatedAt)) / 1000));
  return json(c, stats, 200, { 'cache-control': `private, max-age=${Math.max(0, ttl - ageSeconds)}` });
};
