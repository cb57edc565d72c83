import { Client, Receiver } from '@upstash/qstash';
import { markPublished, unpublishedJobs } from '../../db/queries/jobs.ts';
import type { Database } from '../../db/types.ts';
import type { AppConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { JobQueue } from './job-queue.ts';

/** Where QStash delivers jobs, relative to PUBLIC_URL. */
export const DELIVERY_PATH = '/api/v1/jobs/deliver';

const RELAY_BATCH = 100;
const PUBLISH_PARALLELISM = 10;

type QStashSettings = NonNullable<AppConfig['jobs']['qstash']>;

export function deliveryUrl(config: AppConfig): string {
  return `${config.publicUrl}${DELIVERY_PATH}`;
}

/**
 * Delivery by QStash. `flush` is the outbox relay: it publishes queued jobs that
 * have not been handed over yet and marks them published. A job id plus its
 * `run_at` is the deduplication id, so two relays racing publish it once.
 */
export function qstashQueue(deps: { db: Database; config: AppConfig; logger: Logger }): JobQueue {
  const settings = deps.config.jobs.qstash as QStashSettings;
  const client = new Client({ baseUrl: settings.url, token: settings.token });
  const url = deliveryUrl(deps.config);
  return {
    kind: 'qstash',
    async flush() {
      for (;;) {
        const pending = await unpublishedJobs(deps.db, RELAY_BATCH);
        if (pending.length === 0) return;
        const published: string[] = [];
        for (let i = 0; i < pending.length; i += PUBLISH_PARALLELISM) {
          const results = await Promise.allSettled(
            pending.slice(i, i + PUBLISH_PARALLELISM).map(async (job) => {
              const notBefore = Math.ceil(job.runAt.getTime() / 1000);
              await client.publishJSON({
                url,
                body: { jobId: job.id },
                deduplicationId: `${job.id}.${job.runAt.getTime()}`,
                notBefore: notBefore > Date.now() / 1000 ? notBefore : undefined,
                // QStash's retries follow the first delivery; together they are the job's attempts.
                retries: Math.max(0, job.maxAttempts - job.attempts - 1),
                // Forwarded with the delivery: its request (and so the job run) joins the enqueuer's trace.
                headers: job.traceparent ? { traceparent: job.traceparent } : undefined,
              });
              published.push(job.id);
            }),
          );
          for (const result of results) {
            if (result.status === 'rejected') {
              deps.logger.warn('publishing a job to QStash failed; the relay retries it', {
                error: String(result.reason),
              });
            }
          }
        }
        await markPublished(deps.db, published);
        // Stop when QStash refuses everything: the next flush (or cron) tries again.
        if (published.length === 0 || pending.length < RELAY_BATCH) return;
      }
    },
  };
}

/** Checks a delivery's `Upstash-Signature` against the raw body and our public delivery URL. */
export async function verifyDelivery(config: AppConfig, signature: string, body: string): Promise<boolean> {
  const settings = config.jobs.qstash as QStashSettings;
  const receiver = new Receiver({
    currentSigningKey: settings.currentSigningKey,
    nextSigningKey: settings.nextSigningKey,
  });
  try {
    // verify() throws on any mismatch instead of returning false.
    return await receiver.verify({ signature, body, url: deliveryUrl(config), clockTolerance: 5 });
  } catch {
    return false;
  }
}
