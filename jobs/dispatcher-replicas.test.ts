import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../core/deps.ts';
import { executeRows } from '../db/execute.ts';
import { openPg } from '../db/node/pg.ts';
import { JOBS_CHANNEL } from '../db/queries/jobs.ts';
import { jobs } from '../db/schema.ts';
import type { DbHandle } from '../db/types.ts';
import { backend, testDeps, useIsolatedDatabase } from '../test/support/harness.ts';
import { PROBE_TABLE_DDL, withProbe } from '../test/support/probe-job.ts';
import { createDispatcher } from './dispatcher.ts';

const JOBS = 500;

/**
 * Two dispatchers with their own connection pools, as two replicas would have,
 * against one real Postgres: every job runs exactly once.
 */
describe.skipIf(backend.name !== 'postgres' || backend.skip)(`dispatcher replicas [${backend.label}]`, () => {
  const handles: DbHandle[] = [];
  let replicas: AppDeps[] = [];
  const isolated = useIsolatedDatabase();

  beforeAll(async () => {
    await isolated.handle.runAtomic([PROBE_TABLE_DDL]);
    for (let i = 0; i < 2; i++) handles.push(openPg({ url: isolated.url as string, poolSize: 4 }));
    replicas = handles.map((h) => testDeps(h));
  });
  afterAll(async () => {
    for (const h of handles) await h.close();
  });

  it(`Should run each of ${JOBS} jobs exactly once across two replicas`, async () => {
    const batch = `replicas-${crypto.randomUUID()}`;
    const [first] = replicas as [AppDeps];
    const inserted = await first.db
      .insert(jobs)
      .values(
        Array.from({ length: JOBS }, (_, i) => ({
          type: 'probe',
          payload: { behavior: 'succeed' },
          maxAttempts: 3,
          idempotencyKey: `${batch}-${i}`,
          runAt: sql`now() - interval '3 hours'`,
        })),
      )
      .returning({ id: jobs.id });
    const ids = inserted.map((r) => r.id);
    const dispatchers = replicas.map((deps, i) =>
      createDispatcher(deps, {
        workerId: `replica-${i}-${batch}`,
        concurrency: 8,
        pollIntervalMs: 20,
        leaseMs: 30_000,
        schedule: false,
        definitions: withProbe,
      }),
    );
    await Promise.all(dispatchers.map((d) => d.drain()));
    const runs = await executeRows<{ job_id: string; worker_id: string; n: number }>(
      first.db,
      sql`select job_id, min(worker_id) as worker_id, count(*)::int as n from probe_runs
          where job_id = any(${sql.raw(`array[${ids.map((id) => `'${id}'::uuid`).join(',')}]`)})
          group by job_id`,
    );
    expect(runs).toHaveLength(JOBS);
    expect(runs.every((r) => r.n === 1)).toBe(true);
    const perWorker = new Set(runs.map((r) => r.worker_id));
    expect(perWorker.size).toBe(2);
    const [states] = await executeRows<{ succeeded: number }>(
      first.db,
      sql`select count(*) filter (where status = 'succeeded')::int as succeeded from jobs
          where idempotency_key like ${`${batch}-%`}`,
    );
    expect(states?.succeeded).toBe(JOBS);
  });

  it('Should wake a replica at once when another one enqueues, not at its next poll', async () => {
    const [first, second] = replicas as [AppDeps, AppDeps];
    // The second replica polls once a minute: only its LISTEN can start the job in time.
    const dispatcher = createDispatcher(second, {
      workerId: `listener-${crypto.randomUUID()}`,
      concurrency: 2,
      pollIntervalMs: 60_000,
      leaseMs: 30_000,
      schedule: false,
      definitions: withProbe,
    });
    const stop = await handles[1]?.listen?.(JOBS_CHANNEL, () => dispatcher.wake());
    try {
      dispatcher.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const enqueuedAt = Date.now();
      const [job] = await first.db
        .insert(jobs)
        .values({ type: 'probe', payload: { behavior: 'succeed' }, maxAttempts: 3 })
        .returning({ id: jobs.id });
      let status = 'queued';
      while (status !== 'succeeded' && Date.now() - enqueuedAt < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const [row] = await first.db
          .select({ status: jobs.status })
          .from(jobs)
          .where(eq(jobs.id, job?.id as string));
        status = row?.status ?? 'missing';
      }
      expect(status, 'started through NOTIFY within 5 s (the poll is 60 s)').toBe('succeeded');
    } finally {
      await dispatcher.stop(5_000);
      await stop?.();
    }
  });
});
