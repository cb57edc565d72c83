import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, isNull, sql } from 'drizzle-orm';
import { openPg } from '../../db/node/pg.ts';
import { notificationCte } from '../../db/queries/outbox.ts';
import { items, webhooks } from '../../db/schema.ts';
import { generateWebhookSecret } from '../../jobs/webhook-signature.ts';
import { benchDatabase } from '../lib/bench-database.ts';
import { BENCH_JWT_KEYS, benchAuthorization } from '../lib/bench-identity.ts';
import { commandCpuMicros, cpuMicros } from '../lib/cpu.ts';
import { runLoad } from '../lib/load.ts';
import type { Section } from '../lib/section.ts';
import { APP_ENTRY, childEnv, serverPid, startServer } from '../lib/servers.ts';
import { loadProblem, num } from '../lib/table.ts';

// Webhook deliveries wait on the network: a queue of them runs many at once.
const CONCURRENCY = 32;
const SUBSCRIBERS = 10;
const ITEMS = 1_000;
const DRAIN_TIMEOUT_MS = 180_000;
// Far enough ahead that nothing runs while enqueueing is measured.
const LATER = '2999-01-01T00:00:00Z';
// One enqueue every this many ms in the two-replica phase: more than the dispatcher's 25 ms
// wake-up window, so each is a lone enqueue on an idle queue and shows the notify path alone.
const PACE_MS = 50;

/**
 * The queue on real Postgres in three phases:
 * 1. enqueue latency: `POST /api/v1/jobs` under load, the jobs held back by `runAt`;
 * 2. drain: one process with its dispatcher runs a backlog of webhook deliveries (the
 *    cheapest job that does real work: one lookup and one signed POST, to a receiver in
 *    this process), queued at once as item changes queue them;
 * 3. enqueue → start: a second process joins; jobs enqueued through either one at a
 *    steady pace, each started by whichever dispatcher claims it first.
 */
export const jobsDispatcher: Section = {
  name: 'jobs-dispatcher',
  title: 'Jobs through the dispatcher on Postgres: enqueue latency, jobs/second, enqueue → start',
  async run(context) {
    const { config, defer, log } = context;
    const database = await benchDatabase(context, 'edgeplane_bench_jobs', ITEMS, 1);
    const { postgresVersion } = database;
    const receiver = await startReceiver();
    defer('stop webhook receiver', () => receiver.close());

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
      // The receiver listens on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      SHUTDOWN_DRAIN_MS: '2000',
    });
    const first = await startServer(context, 'app', APP_ENTRY, env);
    const headers = await benchAuthorization(database.url);
    const handle = openPg({ url: database.url, poolSize: 1 });
    defer('close bench pool', () => handle.close());

    // 1. Enqueue latency.
    log(`POST /api/v1/jobs: ${config.warmupSeconds} s warm-up, ${config.durationSeconds} s measured`);
    const enqueue = await runLoad({
      headers,
      origin: first,
      method: 'POST',
      paths: ['/api/v1/jobs'],
      body: JSON.stringify({ type: 'cleanup', runAt: LATER }),
      connections: config.connections,
      durationSeconds: config.durationSeconds,
      warmupSeconds: config.warmupSeconds,
      serverPid: serverPid(first),
    });
    await handle.runAtomic([`DELETE FROM jobs WHERE run_at >= '${LATER}'`]);

    // 2. Drain: every item changed once, with SUBSCRIBERS webhooks subscribed.
    await handle.db.insert(webhooks).values(
      Array.from({ length: SUBSCRIBERS }, (_, i) => ({
        url: `${receiver.origin}/hooks/${i}`,
        events: ['item.updated'],
        secret: generateWebhookSecret(),
      })),
    );
    const changed = handle.db.$with('changed').as(handle.db.select().from(items).where(isNull(items.deletedAt)));
    const queue = notificationCte(handle.db, {
      event: 'item.updated',
      table: items,
      changed,
      context: { actorType: 'system', actorId: 'bench', requestId: null },
    });
    const cpuBefore = { app: cpuMicros(serverPid(first)), postgres: commandCpuMicros('postgres') };
    const started = performance.now();
    const [{ queued } = { queued: 0 }] = await handle.db
      .with(changed, queue)
      .select({ queued: sql<number>`count(*)::int` })
      .from(queue);
    log(`draining ${num(queued)} webhook deliveries with concurrency ${CONCURRENCY}`);
    let done = 0;
    while (performance.now() - started < DRAIN_TIMEOUT_MS) {
      const [row] = await handle.queryRows<{ done: number }>(
        `SELECT count(*)::int AS done FROM jobs WHERE type = 'send-notification' AND status IN ('succeeded', 'failed', 'dead')`,
      );
      done = row?.done ?? 0;
      if (done >= queued) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      app: (cpuMicros(serverPid(first)) ?? Number.NaN) - (cpuBefore.app ?? Number.NaN),
      postgres: (commandCpuMicros('postgres') ?? Number.NaN) - (cpuBefore.postgres ?? Number.NaN),
    };
    const [drain] = await handle.queryRows<{ succeeded: number; other: number; transitions: number }>(
      `SELECT count(*) FILTER (WHERE j.status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE j.status <> 'succeeded')::int AS other,
              (SELECT count(*) FROM audit_logs a JOIN jobs d ON d.id::text = a.entity_id
                WHERE d.type = 'send-notification' AND a.action IN ('job.running', 'job.succeeded'))::int AS transitions
         FROM jobs j WHERE j.type = 'send-notification'`,
    );
    const jobsPerSecond = done / seconds;

    // 3. Enqueue → start across two dispatcher processes.
    const second = await startServer(context, 'app-2', APP_ENTRY, env);
    const count = Math.max(50, Math.round((config.durationSeconds * 1000) / PACE_MS));
    log(`enqueue → start: ${num(count)} jobs, one every ${PACE_MS} ms, through both processes in turn`);
    const origins = [first, second];
    const paced: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${origins[i % 2]}/api/v1/jobs`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'cleanup' }),
      });
      if (response.status !== 202 && response.status !== 201) {
        throw new Error(`enqueue answered ${response.status}: ${await response.text()}`);
      }
      paced.push(((await response.json()) as { id: string }).id);
      await new Promise((r) => setTimeout(r, PACE_MS));
    }
    const ids = sql.join(
      paced.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const waitStarted = performance.now();
    let latencies: { ms: number; worker: string | null }[] = [];
    while (performance.now() - waitStarted < 30_000) {
      latencies = await handle.db
        .select({
          ms: sql<number>`extract(epoch from (started_at - created_at)) * 1000`.mapWith(Number),
          worker: sql<
            string | null
          >`(select actor_id from audit_logs a where a.entity_id = jobs.id::text and a.action = 'job.running' order by a.id limit 1)`,
        })
        .from(sql`jobs`)
        .where(and(sql`id in (${ids})`, sql`started_at is not null`));
      if (latencies.length === paced.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    const byWorker = new Map<string, number>();
    for (const { worker } of latencies) byWorker.set(worker ?? '?', (byWorker.get(worker ?? '?') ?? 0) + 1);
    const shares = [...byWorker.values()].sort((a, b) => b - a).map((n) => `${num((100 * n) / latencies.length)}%`);

    const problems = [
      ...loadProblem('enqueue', enqueue),
      ...(done < queued ? [`! drain timed out: ${done} of ${queued} jobs finished`] : []),
      ...(drain?.other ? [`! ${drain.other} jobs did not succeed`] : []),
      ...(receiver.received() < queued ? [`! the receiver got ${receiver.received()} of ${queued} deliveries`] : []),
      ...(latencies.length < paced.length ? [`! ${paced.length - latencies.length} paced jobs never started`] : []),
    ];
    return {
      table: {
        caption: [
          `PostgreSQL ${postgresVersion}; every process with JOB_CONCURRENCY ${CONCURRENCY}, pool ${config.poolSize}, the default 1 s poll.`,
          `Enqueue: ${config.connections} connections, ${config.durationSeconds} s, jobs held back by runAt. Drain: ${num(ITEMS)} item changes × ${SUBSCRIBERS} webhooks queued in one statement, delivered to a local receiver, by one process.`,
          `Enqueue → start: ${num(paced.length)} jobs, one every ${PACE_MS} ms through each process in turn, two processes; started_at − created_at, both stamped by Postgres (to the millisecond).`,
        ],
        columns: ['measure', 'value'],
        rows: [
          ['enqueue req/s (POST /api/v1/jobs)', num(enqueue.requestsPerSecond)],
          ['enqueue p50 ms', num(enqueue.latencyMs.p50, 2)],
          ['enqueue p99 ms', num(enqueue.latencyMs.p99, 2)],
          ['enqueue app CPU µs/request', num(enqueue.serverCpuMicrosPerRequest ?? Number.NaN)],
          ['webhook deliveries drained', num(done)],
          ['drain seconds', num(seconds, 2)],
          ['jobs/second through one dispatcher', num(jobsPerSecond)],
          ['app CPU µs/job', num(cpu.app / done)],
          ['Postgres CPU µs/job (all its processes)', num(cpu.postgres / done)],
          ['audit rows per job (job.running, job.succeeded)', num((drain?.transitions ?? 0) / done, 2)],
          ['enqueue → start p50 ms (two processes)', num(at(0.5), 1)],
          ['enqueue → start p99 ms (two processes)', num(at(0.99), 1)],
          ['enqueue → start max ms (two processes)', num(sorted.at(-1) ?? Number.NaN, 1)],
          ['jobs started by each process', shares.join(' / ')],
        ],
        notes: problems,
      },
      details: {
        postgresVersion,
        concurrency: CONCURRENCY,
        enqueue,
        drain: { queued, drained: done, seconds, jobsPerSecond, cpuMicros: cpu, states: drain },
        enqueueToStart: {
          jobs: paced.length,
          p50: at(0.5),
          p99: at(0.99),
          max: sorted.at(-1),
          byWorker: [...byWorker],
        },
      },
    };
  },
};

/** A webhook receiver answering 204 to every delivery, counting them. */
async function startReceiver() {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
