import { errorResponses } from '../../lib/errors.ts';
import { jsonResponse, protectedRoute } from '../route.ts';
import { PutSettingSchema, SettingKeyParamsSchema, SettingListSchema, SettingSchema } from './settings.schemas.ts';

const tags = ['Settings'];

export const list = protectedRoute('settings:read', {
  method: 'get',
  path: '/api/v1/settings',
  tags,
  summary: 'List settings',
  description: 'Every known key with the value in force, its default and whether a value is stored.',
  responses: { 200: jsonResponse(SettingListSchema, 'The settings.'), ...errorResponses(500, 503) },
});

export const put = protectedRoute('settings:write', {
  method: 'put',
  path: '/api/v1/settings/{key}',
  tags,
  summary: 'Set a setting',
  description: "Stores a value after checking it against the key's type (422 naming `value`). Unknown keys: 404.",
  request: {
    params: SettingKeyParamsSchema,
    body: { required: true, content: { 'application/json': { schema: PutSettingSchema } } },
  },
  responses: { 200: jsonResponse(SettingSchema, 'The setting.'), ...errorResponses(400, 404, 413, 415, 422, 500, 503) },
});

export const reset = protectedRoute('settings:write', {
  method: 'delete',
  path: '/api/v1/settings/{key}',
  tags,
  summary: 'Reset a setting to its default',
  request: { params: SettingKeyParamsSchema },
  responses: { 204: { description: 'The default applies again.' }, ...errorResponses(404, 422, 500, 503) },
});

export type ListRoute = typeof list;
export type PutRoute = typeof put;
export type ResetRoute = typeof reset;
