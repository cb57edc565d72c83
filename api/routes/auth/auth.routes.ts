import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../vocabulary/permissions.ts';
import { errorResponses } from '../../lib/errors.ts';
import { jsonResponse, protectedRoute, publicRoute } from '../route.ts';

const tags = ['Auth'];

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('User');

export const SessionSchema = z
  .object({
    accessToken: z.string().openapi({ description: 'A short-lived JWT; send it as `Authorization: Bearer …`.' }),
    refreshToken: z.string().openapi({ description: 'Single use: exchange it at /auth/refresh for a new pair.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Access token lifetime in seconds.' }),
    user: UserSchema,
  })
  .openapi('Session');

const RefreshBodySchema = z
  .object({
    refreshToken: z.string().min(1).max(200).optional().openapi({ description: 'Omit to use the session cookie.' }),
  })
  .strict();

export const login = publicRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags,
  summary: 'Sign in',
  description:
    'Returns an access token and a refresh token, and sets httpOnly session cookies for the dashboard. ' +
    'A wrong password, an unknown email and a disabled account get the same 401.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) })
            .strict()
            .openapi('LoginRequest'),
        },
      },
    },
  },
  responses: { 200: jsonResponse(SessionSchema, 'Signed in.'), ...errorResponses(400, 401, 415, 422, 429, 500, 503) },
});

export const refresh = publicRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags,
  summary: 'Rotate the refresh token',
  description:
    'Exchanges a refresh token (body or cookie) for a new access and refresh token. Each refresh token works ' +
    'once; presenting a used one again revokes every token of its sign-in.',
  request: { body: { required: false, content: { 'application/json': { schema: RefreshBodySchema } } } },
  responses: { 200: jsonResponse(SessionSchema, 'A new pair.'), ...errorResponses(400, 401, 422, 429, 500, 503) },
});

export const logout = publicRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags,
  summary: 'Sign out',
  description: 'Revokes the refresh token (body or cookie) with every token of its sign-in, and clears the cookies.',
  request: { body: { required: false, content: { 'application/json': { schema: RefreshBodySchema } } } },
  responses: { 204: { description: 'Signed out.' }, ...errorResponses(400, 422, 429, 500, 503) },
});

export const me = protectedRoute('self:read', {
  method: 'get',
  path: '/api/v1/auth/me',
  tags,
  summary: 'Who am I',
  responses: {
    200: jsonResponse(
      z
        .object({
          type: z.enum(['user', 'api_key']),
          id: z.uuid(),
          role: z.enum(ROLES),
          user: UserSchema.nullable(),
        })
        .openapi('Me'),
      'The caller.',
    ),
    ...errorResponses(500, 503),
  },
});
