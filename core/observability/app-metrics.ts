import { MetricsRegistry } from './metrics-registry.ts';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/**
 * The app's own measurements. Every label is bounded: route templates (never raw
 * paths), methods from a fixed list, status classes, job types, outcome names.
 */
export function createAppMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    httpRequests: registry.counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status class.',
      labelNames: ['method', 'route', 'status'],
    }),
    httpDuration: registry.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response headers, by method, route template and status class.',
      labelNames: ['method', 'route', 'status'],
      unit: 's',
      buckets: HTTP_BUCKETS,
    }),
    jobsEnqueued: registry.counter({
      name: 'jobs_enqueued_total',
      help: 'Jobs queued, by type.',
      labelNames: ['type'],
    }),
    jobRuns: registry.counter({
      name: 'job_runs_total',
      help: 'Job attempts finished, by type and outcome (succeeded, failed, dead, released, lost).',
      labelNames: ['type', 'outcome'],
    }),
    jobDuration: registry.histogram({
      name: 'job_run_duration_seconds',
      help: 'Duration of job attempts, by type and outcome.',
      labelNames: ['type', 'outcome'],
      unit: 's',
      buckets: JOB_BUCKETS,
    }),
    queueDepth: registry.gauge({
      name: 'jobs_queue_depth',
      help: 'Jobs waiting (queued or failed awaiting retry) and running, across all workers.',
      labelNames: ['state'],
    }),
    queueOldestAge: registry.gauge({
      name: 'jobs_oldest_queued_age_seconds',
      help: 'Age of the oldest job that is due and not yet running (0 when none).',
      labelNames: [],
      unit: 's',
    }),
    dbDuration: registry.histogram({
      name: 'db_query_duration_seconds',
      help: 'Database round trips, by operation (select, insert, update, delete, with, batch, other) and outcome.',
      labelNames: ['operation', 'outcome'],
      unit: 's',
      buckets: DB_BUCKETS,
    }),
    databaseUp: registry.gauge({
      name: 'database_up',
      help: '1 when the last probe of the database (at scrape or push time) succeeded, else 0.',
      labelNames: [],
    }),
    cacheHits: registry.counter({
      name: 'cache_hits_total',
      help: 'Cache reads answered from the store, by cache (the key prefix).',
      labelNames: ['cache'],
    }),
    cacheMisses: registry.counter({
      name: 'cache_misses_total',
      help: 'Cache reads that went to the database, by cache.',
      labelNames: ['cache'],
    }),
    rateLimited: registry.counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused with 429, by bucket (ip, user, api_key, or a route bucket such as login).',
      labelNames: ['bucket'],
    }),
  };
}

export type AppMetrics = ReturnType<typeof createAppMetrics>;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A method label from a fixed set, so made-up methods cannot add series. */
export const methodLabel = (method: string) => (METHODS.has(method) ? method : 'OTHER');

/** `2xx`, `4xx`…: the status label. */
export const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;
