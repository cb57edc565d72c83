import { errorResponses } from '../../lib/errors.ts';
import { jsonBody, jsonResponse, protectedRoute } from '../route.ts';
import {
  CreatedUserSchema,
  CreateUserSchema,
  ListUsersQuerySchema,
  UpdateUserSchema,
  UserIdParamsSchema,
  UserListSchema,
  UserLookupQuerySchema,
  UserNameListSchema,
  UserSchema,
} from './users.schemas.ts';

const tags = ['Users'];

export const list = protectedRoute('users:manage', {
  method: 'get',
  path: '/api/v1/users',
  tags,
  summary: 'List users',
  description: 'Newest first, cursor-paginated; filter by role and by `disabled`.',
  request: { query: ListUsersQuerySchema },
  responses: { 200: jsonResponse(UserListSchema, 'A page of users.'), ...errorResponses(400, 422, 500, 503) },
});

export const lookup = protectedRoute('users:read', {
  method: 'get',
  path: '/api/v1/users/lookup',
  tags,
  summary: 'Look up user names',
  description:
    'The name and email of each user id given, for anyone who may read items: who owns an item, who made a ' +
    'change. Roles and status stay with the admin-only operations.',
  request: { query: UserLookupQuerySchema },
  responses: { 200: jsonResponse(UserNameListSchema, 'The users found.'), ...errorResponses(422, 500, 503) },
});

export const get = protectedRoute('users:manage', {
  method: 'get',
  path: '/api/v1/users/{id}',
  tags,
  summary: 'Get a user',
  request: { params: UserIdParamsSchema },
  responses: { 200: jsonResponse(UserSchema, 'The user.'), ...errorResponses(404, 422, 500, 503) },
});

export const create = protectedRoute('users:manage', {
  method: 'post',
  path: '/api/v1/users',
  tags,
  summary: 'Create or invite a user',
  description:
    'Creates a user. Without `password` the user is invited: the response carries a generated one-time ' +
    'password under `invitation`, shown only once. Emails are unique regardless of case (409).',
  request: { body: jsonBody(CreateUserSchema) },
  responses: {
    201: {
      ...jsonResponse(CreatedUserSchema, 'The created user (with the invitation password when one was generated).'),
      headers: { Location: { schema: { type: 'string' }, description: 'The user URL.' } },
    },
    ...errorResponses(400, 409, 413, 415, 422, 500, 503),
  },
});

export const update = protectedRoute('users:manage', {
  method: 'patch',
  path: '/api/v1/users/{id}',
  tags,
  summary: 'Update a user',
  description:
    'Changes the name, role, `disabled` or password. Users are never deleted (the audit trail refers to ' +
    'them), so there is no DELETE: `{"disabled": true}` disables a user, and `false` enables them again. No ' +
    'change may leave the instance without an enabled admin (409). Disabling or setting a password ends the ' +
    'sessions of the user.',
  request: { params: UserIdParamsSchema, body: jsonBody(UpdateUserSchema) },
  responses: {
    200: jsonResponse(UserSchema, 'The updated user.'),
    ...errorResponses(400, 404, 409, 413, 415, 422, 500, 503),
  },
});

export type ListRoute = typeof list;
export type LookupRoute = typeof lookup;
export type GetRoute = typeof get;
export type CreateRoute = typeof create;
export type UpdateRoute = typeof update;
