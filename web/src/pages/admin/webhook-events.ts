import type { InferResponseType } from 'hono/client';
import type { api } from '../../lib/api.ts';

export type Webhook = InferResponseType<typeof api.api.v1.webhooks.$get, 200>['data'][number];
export type WebhookWithSecret = InferResponseType<typeof api.api.v1.webhooks.$post, 201>;
export type WebhookEvent = Webhook['events'][number];

/**
 * Every event a webhook can subscribe to, with its label. Typed by the API's own
 * enum, so the type check fails when the API gains an event this list lacks.
 */
const EVENT_LABELS: Record<WebhookEvent, string> = {
  'item.created': 'Item created',
  'item.updated': 'Item updated',
  'item.deleted': 'Item deleted',
};

export const WEBHOOK_EVENTS = Object.keys(EVENT_LABELS) as WebhookEvent[];

export function eventLabel(event: WebhookEvent): string {
  return EVENT_LABELS[event] ?? event;
}
