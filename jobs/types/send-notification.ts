import { z } from 'zod';
import { itemFromSnapshot } from '../../core/items.ts';
import { tracedFetch } from '../../core/observability/scope.ts';
import { NOTIFICATION_JOB } from '../../db/queries/outbox.ts';
import { getWebhook } from '../../db/queries/webhooks.ts';
import { WEBHOOK_EVENTS } from '../../vocabulary/enums.ts';
import { defineJob, PermanentJobError } from '../define.ts';
import { webhookHeaders } from '../webhook-signature.ts';
import { isPrivateTarget } from '../webhook-target.ts';

const payload = z.object({
  webhookId: z.uuid(),
  event: z.enum(WEBHOOK_EVENTS),
  /** The changed row as the statement that queued this job saw it. */
  data: z.record(z.string(), z.unknown()),
});

export interface SendNotificationOptions {
  /** How long one attempt may take, response included (default 10 s). */
  timeoutMs?: number;
}

/**
 * Delivers one event to one subscriber: a JSON POST signed the Standard Webhooks way.
 * `webhook-id` is the job id, the same on every attempt, so receivers can drop
 * duplicates. Any non-2xx answer or network error fails the attempt and the job is
 * retried with backoff (as Standard Webhooks senders do, 4xx included) until it is dead.
 */
export function sendNotificationJob(options: SendNotificationOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return defineJob({
    type: NOTIFICATION_JOB.type,
    description: 'Deliver an item event to one webhook subscriber (signed, retried on non-2xx).',
    payload,
    // Queued only by item changes: a client could otherwise send forged, validly signed events.
    internal: true,
    maxAttempts: NOTIFICATION_JOB.maxAttempts,
    async run({ deps, job, signal }, { webhookId, event, data }) {
      const webhook = await getWebhook(deps.db, webhookId);
      // Retrying cannot bring these back; the job goes dead at once and says why.
      if (!webhook) throw new PermanentJobError(`webhook ${webhookId} no longer exists`);
      if (!webhook.active) throw new PermanentJobError(`webhook ${webhookId} is inactive`);
      if (!webhook.events.includes(event)) {
        throw new PermanentJobError(`webhook ${webhookId} no longer subscribes to ${event}`);
      }
      // Checked again at delivery: the setting may have changed since the webhook was saved.
      if (!deps.config.webhooks.allowPrivateTargets && isPrivateTarget(new URL(webhook.url))) {
        throw new PermanentJobError(`webhook ${webhookId} targets a private address, which is not allowed here`);
      }
      // The body is identical on every attempt: it carries the event's time, not the attempt's.
      const body = JSON.stringify({
        type: event,
        timestamp: job.createdAt.toISOString(),
        data: itemFromSnapshot(data),
      });
      const target = new URL(webhook.url).origin;
      const started = Date.now();
      let response: Response;
      try {
        response = await tracedFetch(deps, webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': `Edgeplane-Webhooks/${deps.config.version}`,
            ...(await webhookHeaders(webhook.secret, job.id, body, deps.clock())),
          },
          body,
          // A redirect is an answer other than 2xx: following it would send the signed event elsewhere.
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
        // Only the status matters; release the connection.
        await response.body?.cancel();
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new Error(`${target} did not answer within ${timeoutMs} ms`);
        }
        throw new Error(`could not reach ${target}: ${rootCause(error)}`);
      }
      if (response.status < 200 || response.status > 299) {
        throw new Error(`${target} answered HTTP ${response.status}`);
      }
      return { status: response.status, durationMs: Date.now() - started };
    },
  });
}

/** The registered definition. */
export const sendNotification = sendNotificationJob();

/** fetch wraps the useful message (ECONNREFUSED, a DNS failure) in layers of causes. */
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
