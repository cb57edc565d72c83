import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../../core/deps.ts';
import { beforeDeadline, LATE } from '../../../db/deadline.ts';
import type { KeyValueStore } from '../../../db/kv/port.ts';
import { KeyValueTimeoutError } from '../../../db/kv/reply-limit.ts';
import { queueStats } from '../../../db/queries/jobs.ts';
import { ApiError } from '../../lib/errors.ts';
import { json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { live as LiveRoute, ready as ReadyRoute } from './health.routes.ts';

// Well under the probes' own timeout (2 s in the chart), so a frozen database reads as down, not as a probe time-out.
const PROBE_TIMEOUT_MS = 1_000;

interface Check {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  kind?: KeyValueStore['kind'];
}

/** `work`, or a rejection once PROBE_TIMEOUT_MS has passed without an answer. */
async function withinProbeLimit<T>(work: Promise<T>): Promise<T> {
  const answer = await beforeDeadline(work, PROBE_TIMEOUT_MS);
  if (answer === LATE) throw new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`);
  return answer;
}

async function probe(deps: AppDeps, run: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  try {
    await withinProbeLimit(run());
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (error) {
    deps.logger.warnThrottled('readiness probe failed', { error });
    // The message says what failed without leaking SQL or connection strings: only the
    // limits' own messages (this probe's, the key-value store's) are passed on.
    const timedOut =
      error instanceof KeyValueTimeoutError || (error instanceof Error && error.message.startsWith('no answer'));
    const reason = timedOut ? (error as Error).message : 'unreachable';
    return { status: 'down', latencyMs: Date.now() - started, error: reason };
  }
}

export const live: AppRouteHandler<typeof LiveRoute> = (c) => json(c, { status: 'ok' as const }, 200);

export function readyHandler(startedAt: Date): AppRouteHandler<typeof ReadyRoute> {
  return async (c) => {
    const deps = c.get('deps');
    const lifecycle = deps.lifecycle?.();
    if (lifecycle?.phase === 'stopping') {
      throw new ApiError('service_unavailable', { detail: 'The server is shutting down.' });
    }
    if (lifecycle?.phase === 'starting') {
      throw new ApiError('service_unavailable', {
        detail: `Starting: ${lifecycle.detail}.`,
        headers: { 'retry-after': '5' },
      });
    }
    // The queue is informational: a backlog does not make this instance unable to serve.
    // Read beside the probes and under the same limit, so a database that stalls after
    // answering `select 1` (or a locked jobs table) cannot hold readiness past it.
    const [database, cache, stats] = await Promise.all([
      probe(deps, () => deps.db.execute(sql`select 1`)),
      probe(deps, () => deps.kv.ping()),
      withinProbeLimit(queueStats(deps.db)).catch(() => null),
    ]);
    const checks = { database, cache: { ...cache, kind: deps.kv.kind } };
    // Only the database fails readiness for now: without the cache, rate limits and
    // caching degrade but requests are served. Whether a cache outage should fail
    // readiness too is to become a setting.
    const down = Object.entries({ database }).filter(([, check]) => check.status === 'down');
    if (down.length) {
      throw new ApiError('service_unavailable', {
        detail: `Not ready: ${down.map(([name, check]) => `${name} ${check.error}`).join('; ')}.`,
        headers: { 'retry-after': '5' },
        extensions: { checks },
      });
    }
    const uptimeSeconds = Math.round((deps.clock().getTime() - startedAt.getTime()) / 1000);
    const oldest = stats?.oldestQueuedAt ? new Date(stats.oldestQueuedAt).getTime() : undefined;
    const queue = stats
      ? {
          delivery: deps.queue.kind,
          queued: stats.queued,
          running: stats.running,
          oldestQueuedAgeSeconds:
            oldest === undefined ? null : Math.max(0, Math.round((deps.clock().getTime() - oldest) / 1000)),
        }
      : null;
    return json(c, { status: 'ok' as const, version: deps.config.version, uptimeSeconds, checks, queue }, 200);
  };
}
