import { errorResponses } from '../../lib/errors.ts';
import { jsonResponse, protectedRoute } from '../route.ts';
import {
  ApiKeyIdParamsSchema,
  ApiKeyListSchema,
  ApiKeyWithSecretSchema,
  CreateApiKeySchema,
} from './api-keys.schemas.ts';

const tags = ['API keys'];

export const create = protectedRoute('keys:manage', {
  method: 'post',
  path: '/api/v1/api-keys',
  tags,
  summary: 'Create an API key',
  description:
    "A credential for machines, with a role no higher than the caller's (403 otherwise). The response " +
    'carries the key; only its SHA-256 is stored, so it is never shown again.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeySchema } } } },
  responses: {
    201: jsonResponse(ApiKeyWithSecretSchema, 'The created key, with the key itself.'),
    ...errorResponses(400, 413, 415, 422, 500, 503),
  },
});

export const list = protectedRoute('keys:manage', {
  method: 'get',
  path: '/api/v1/api-keys',
  tags,
  summary: 'List API keys',
  description: 'Every key, revoked ones included, oldest first; never the key or its hash.',
  responses: { 200: jsonResponse(ApiKeyListSchema, 'The keys.'), ...errorResponses(500, 503) },
});

export const revoke = protectedRoute('keys:manage', {
  method: 'delete',
  path: '/api/v1/api-keys/{id}',
  tags,
  summary: 'Revoke an API key',
  description: 'The key stops working with the next request. Revoking a revoked key changes nothing.',
  request: { params: ApiKeyIdParamsSchema },
  responses: { 204: { description: 'Revoked.' }, ...errorResponses(404, 422, 500, 503) },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type RevokeRoute = typeof revoke;
