import type { AppConfig } from '../../../core/config.ts';
import * as queries from '../../../db/queries/webhooks.ts';
import { generateWebhookSecret } from '../../../jobs/webhook-signature.ts';
import { isPrivateTarget } from '../../../jobs/webhook-target.ts';
import { auditContext } from '../../lib/audit-context.ts';
import { ApiError } from '../../lib/errors.ts';
import { empty, json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type {
  CreateRoute,
  GetRoute,
  ListRoute,
  RemoveRoute,
  RotateSecretRoute,
  UpdateRoute,
} from './webhooks.routes.ts';
import { toWebhook } from './webhooks.schemas.ts';

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const body = c.req.valid('json');
  assertAllowedTarget(c.get('deps').config, body.url);
  const secret = generateWebhookSecret();
  const row = await queries.createWebhook(c.get('deps').db, { ...body, secret }, auditContext(c));
  return json(c, { ...toWebhook(row), secret }, 201, { location: `/api/v1/webhooks/${row.id}` });
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const rows = await queries.listWebhooks(c.get('deps').db);
  return json(c, { data: rows.map(toWebhook) }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await queries.getWebhook(c.get('deps').db, id);
  if (!row) throw notFound(id);
  return json(c, toWebhook(row), 200);
};

export const update: AppRouteHandler<UpdateRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  if (Object.keys(patch).length === 0) {
    throw new ApiError('validation_failed', {
      detail: 'The body changes nothing: send at least one field to update.',
      errors: [{ field: '(root)', in: 'body', message: 'at least one field is required' }],
    });
  }
  if (patch.url) assertAllowedTarget(c.get('deps').config, patch.url);
  const row = await queries.updateWebhook(c.get('deps').db, id, patch, auditContext(c));
  if (!row) throw notFound(id);
  return json(c, toWebhook(row), 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!(await queries.deleteWebhook(c.get('deps').db, id, auditContext(c)))) throw notFound(id);
  return empty(c, 204);
};

export const rotateSecret: AppRouteHandler<RotateSecretRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const secret = generateWebhookSecret();
  const row = await queries.rotateWebhookSecret(c.get('deps').db, id, secret, auditContext(c));
  if (!row) throw notFound(id);
  return json(c, { ...toWebhook(row), secret }, 200);
};

function notFound(id: string) {
  return new ApiError('not_found', { detail: `Webhook ${id} does not exist.` });
}

function assertAllowedTarget(config: AppConfig, url: string): void {
  if (config.webhooks.allowPrivateTargets || !isPrivateTarget(new URL(url))) return;
  throw new ApiError('validation_failed', {
    detail: 'Webhooks cannot target localhost or private networks on this instance.',
    errors: [{ field: 'url', in: 'body', message: 'targets a private or loopback address' }],
  });
}
