import { openPg } from '../../db/node/pg.ts';
import { benchDatabase } from '../lib/bench-database.ts';
import { BENCH_JWT_KEYS, benchAuthorization } from '../lib/bench-identity.ts';
import { runLoad } from '../lib/load.ts';
import type { Section } from '../lib/section.ts';
import { APP_ENTRY, childEnv, startServer } from '../lib/servers.ts';
import { loadProblem, num } from '../lib/table.ts';

const CONCURRENCY = 8;
const DRAIN_TIMEOUT_MS = 180_000;
// Far enough ahead that nothing runs while enqueueing is measured.
const LATER = '2999-01-01T00:00:00Z';

/**
 * Two phases on one Node process with its dispatcher: enqueue latency under load
 * (jobs held back by `runAt`), then throughput of the dispatcher draining them all
 * once they are made due. The job is `cleanup`: real retention queries per run.
 */
export const jobsDispatcher: Section = {
  name: 'jobs-dispatcher',
  title: 'Jobs through the dispatcher on Postgres: enqueue latency and jobs/second',
  async run(context) {
    const { config, defer, log } = context;
    const database = await benchDatabase(context, 'edgeplane_bench_jobs', 1_000, 1);
    const { postgresVersion } = database;
    const env = childEnv({
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(config.poolSize),
      MIGRATE_ON_START: 'false',
      JWT_SIGNING_KEYS: BENCH_JWT_KEYS,
      SEED_DEMO_DATA: 'false',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'error',
      // One load generator on one address: per-client limits would measure themselves.
      RATE_LIMIT_ENABLED: 'false',
      JOB_CONCURRENCY: String(CONCURRENCY),
      JOB_POLL_INTERVAL_MS: '200',
      SHUTDOWN_DRAIN_MS: '2000',
    });
    const origin = await startServer(context, 'app', APP_ENTRY, env);

    log(`POST /api/v1/jobs: ${config.warmupSeconds} s warm-up, ${config.durationSeconds} s measured`);
    const headers = await benchAuthorization(database.url);
    const enqueue = await runLoad({
      headers,
      origin,
      method: 'POST',
      paths: ['/api/v1/jobs'],
      body: JSON.stringify({ type: 'cleanup', runAt: LATER }),
      connections: config.connections,
      durationSeconds: config.durationSeconds,
      warmupSeconds: config.warmupSeconds,
    });

    const handle = openPg({ url: database.url, poolSize: 1 });
    defer('close bench pool', () => handle.close());
    const [{ total } = { total: 0 }] = await handle
      .queryRows<{ total: number }>(
        `UPDATE jobs SET run_at = now() WHERE status = 'queued' AND run_at > now() RETURNING 1`,
      )
      .then((rows) => [{ total: rows.length }]);
    log(`draining ${num(total)} jobs with concurrency ${CONCURRENCY}`);
    const started = performance.now();
    let done = 0;
    while (performance.now() - started < DRAIN_TIMEOUT_MS) {
      const [row] = await handle.queryRows<{ done: number }>(
        `SELECT count(*)::int AS done FROM jobs WHERE status IN ('succeeded', 'failed', 'dead')`,
      );
      done = row?.done ?? 0;
      if (done >= total) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const [states] = await handle.queryRows<{ succeeded: number; other: number }>(
      `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status <> 'succeeded')::int AS other FROM jobs`,
    );
    const jobsPerSecond = done / seconds;
    const problems = [
      ...loadProblem('enqueue', enqueue),
      ...(done < total ? [`! drain timed out: ${done} of ${total} jobs finished`] : []),
      ...(states?.other ? [`! ${states.other} jobs did not succeed`] : []),
    ];
    return {
      table: {
        caption: [
          `One Node process, dispatcher concurrency ${CONCURRENCY}, pool ${config.poolSize}; PostgreSQL ${postgresVersion}.`,
          `Enqueue: ${config.connections} connections, ${config.durationSeconds} s; drain: every enqueued cleanup job made due at once.`,
        ],
        columns: ['measure', 'value'],
        rows: [
          ['enqueue req/s (POST /api/v1/jobs)', num(enqueue.requestsPerSecond)],
          ['enqueue p50 ms', num(enqueue.latencyMs.p50, 2)],
          ['enqueue p99 ms', num(enqueue.latencyMs.p99, 2)],
          ['jobs run', num(done)],
          ['drain seconds', num(seconds, 1)],
          ['jobs/second through the dispatcher', num(jobsPerSecond)],
        ],
        notes: problems,
      },
      details: { postgresVersion, concurrency: CONCURRENCY, enqueue, drained: done, seconds, jobsPerSecond, states },
    };
  },
};
