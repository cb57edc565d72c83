import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, PermanentJobError } from '../../jobs/define.ts';
import { jobDefinition } from '../../jobs/registry.ts';
import type { DefinitionLookup } from '../../jobs/runner.ts';

/**
 * A job type whose behaviour a test chooses, for exercising the real state machine
 * (claims, leases, retries) on a real database. Each run that gets to its effect
 * inserts one row into `probe_runs`, so tests can count effects.
 */
export const probe = defineJob({
  type: 'probe',
  description: 'Test job',
  payload: z.object({
    behavior: z.enum(['succeed', 'fail', 'fail-permanently', 'wait']),
    /** For `wait`: how long to run (ms), honouring the abort signal. */
    ms: z.number().int().min(0).default(0),
  }),
  async run({ deps, job, workerId, signal }, payload) {
    if (payload.behavior === 'fail') throw new Error(`probe failure on attempt ${job.attempts}`);
    if (payload.behavior === 'fail-permanently') throw new PermanentJobError('probe cannot succeed');
    if (payload.behavior === 'wait') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, payload.ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
    }
    await deps.db.execute(sql`insert into probe_runs (job_id, worker_id) values (${job.id}, ${workerId})`);
    return { ranBy: workerId, attempt: job.attempts };
  },
});

/** The registry plus the probe type. */
export const withProbe: DefinitionLookup = (type) => (type === 'probe' ? probe : jobDefinition(type));

export const PROBE_TABLE_DDL = 'create table if not exists probe_runs (job_id uuid not null, worker_id text not null)';
