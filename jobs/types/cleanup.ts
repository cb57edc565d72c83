import { z } from 'zod';
import { purgeExpired, retentionSettings } from '../../db/queries/retention.ts';
import { defineJob } from '../define.ts';

/** Retention: purges soft-deleted items, old audit rows and finished jobs. Scheduled daily. */
export const cleanup = defineJob({
  type: 'cleanup',
  description: 'Purge soft-deleted items, audit rows and finished jobs past their retention.',
  payload: z.object({}).strict(),
  async run({ deps, job }) {
    const days = await retentionSettings(deps.db, deps.config.retention);
    const purged = await purgeExpired(deps.db, days, job.id);
    return { retentionDays: days, purged };
  },
});
