import { getJob } from '../../../db/queries/jobs.ts';
import { getReport } from '../../../db/queries/reports.ts';
import type { Database } from '../../../db/types.ts';
import { acceptJob } from '../../lib/accept-job.ts';
import { ApiError } from '../../lib/errors.ts';
import { json, send } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import { toJob } from '../jobs/jobs.schemas.ts';
import type { CreateRoute, GetRoute } from './reports.routes.ts';

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { job, headers } = await acceptJob(c, {
    type: 'generate-report',
    payload: c.req.valid('json'),
    idempotencyKey: c.req.valid('header')['idempotency-key'],
  });
  return json(c, toJob(job), 202, headers);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const report = await getReport(c.get('deps').db, id);
  if (!report) throw await missing(c.get('deps').db, id);
  return send(c, report.content, 200, {
    'content-type': report.contentType,
    'content-disposition': `attachment; filename="${report.filename}"`,
  });
};

/** A 404 that says why: no such report, not generated yet, or never to be. */
async function missing(db: Database, id: string): Promise<ApiError> {
  const job = await getJob(db, id);
  if (job?.type !== 'generate-report') {
    return new ApiError('not_found', { detail: `Report ${id} does not exist.` });
  }
  const detail: Record<string, string> = {
    queued: `Report ${id} is not ready yet: its job is queued.`,
    running: `Report ${id} is not ready yet: its job is running.`,
    failed: `Report ${id} is not ready yet: its job failed an attempt and will retry at ${job.runAt.toISOString()}.`,
    dead: `Report ${id} will not be generated: its job is dead (${job.lastError ?? 'no error recorded'}).`,
    cancelled: `Report ${id} will not be generated: its job was cancelled.`,
    succeeded: `Report ${id} no longer exists: it was removed after its job succeeded.`,
  };
  return new ApiError('not_found', {
    detail: `${detail[job.status]} See /api/v1/jobs/${id}.`,
    extensions: { jobStatus: job.status },
  });
}
