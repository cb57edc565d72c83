import { errorResponses } from '../../lib/errors.ts';
import { jsonBody, jsonResponse, protectedRoute } from '../route.ts';
import {
  CreateWebhookSchema,
  UpdateWebhookSchema,
  WebhookIdParamsSchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './webhooks.schemas.ts';

const tags = ['Webhooks'];

export const create = protectedRoute('webhooks:manage', {
  method: 'post',
  path: '/api/v1/webhooks',
  tags,
  summary: 'Create a webhook',
  description:
    'Subscribes a URL to item events. Each delivery is a signed POST (Standard Webhooks: `webhook-id`, ' +
    '`webhook-timestamp`, `webhook-signature`), retried with backoff on any non-2xx answer. ' +
    'The response carries the signing secret; it is never shown again.',
  request: { body: jsonBody(CreateWebhookSchema) },
  responses: {
    201: {
      ...jsonResponse(WebhookWithSecretSchema, 'The created webhook, with its secret.'),
      headers: { Location: { schema: { type: 'string' }, description: 'The webhook URL.' } },
    },
    ...errorResponses(400, 413, 415, 422, 500, 503),
  },
});

export const list = protectedRoute('webhooks:manage', {
  method: 'get',
  path: '/api/v1/webhooks',
  tags,
  summary: 'List webhooks',
  description: 'Every webhook, oldest first, without secrets.',
  responses: { 200: jsonResponse(WebhookListSchema, 'The webhooks.'), ...errorResponses(500, 503) },
});

export const get = protectedRoute('webhooks:manage', {
  method: 'get',
  path: '/api/v1/webhooks/{id}',
  tags,
  summary: 'Get a webhook',
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonResponse(WebhookSchema, 'The webhook (without its secret).'),
    ...errorResponses(404, 422, 500, 503),
  },
});

export const update = protectedRoute('webhooks:manage', {
  method: 'patch',
  path: '/api/v1/webhooks/{id}',
  tags,
  summary: 'Update a webhook',
  description: 'Changes the URL, events, description or `active`. Deliveries already queued use the new settings.',
  request: { params: WebhookIdParamsSchema, body: jsonBody(UpdateWebhookSchema) },
  responses: {
    200: jsonResponse(WebhookSchema, 'The updated webhook.'),
    ...errorResponses(400, 404, 413, 415, 422, 500, 503),
  },
});

export const remove = protectedRoute('webhooks:manage', {
  method: 'delete',
  path: '/api/v1/webhooks/{id}',
  tags,
  summary: 'Delete a webhook',
  description: 'Deliveries still queued for it are not sent: they end `dead`.',
  request: { params: WebhookIdParamsSchema },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(404, 422, 500, 503) },
});

export const rotateSecret = protectedRoute('webhooks:manage', {
  method: 'post',
  path: '/api/v1/webhooks/{id}/rotate-secret',
  tags,
  summary: "Rotate a webhook's secret",
  description:
    'Replaces the signing secret at once (queued deliveries are signed with the new one) and returns it once.',
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonResponse(WebhookWithSecretSchema, 'The webhook with its new secret.'),
    ...errorResponses(404, 422, 500, 503),
  },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type UpdateRoute = typeof update;
export type RemoveRoute = typeof remove;
export type RotateSecretRoute = typeof rotateSecret;
