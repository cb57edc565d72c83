import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../vocabulary/permissions.ts';
import { pageParams } from '../../lib/query.ts';
import { UserSchema } from '../auth/auth.routes.ts';

export { UserSchema };

const email = z.email('must be an email address').max(320, 'must be at most 320 characters');
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(1024, 'must be at most 1024 characters')
  .openapi({ format: 'password' });

export const CreateUserSchema = z
  .object({
    email,
    name,
    role: z.enum(ROLES).default('viewer'),
    password: password.optional().openapi({
      description: 'Omit to invite: a one-time password is generated and returned once in the response.',
    }),
  })
  .strict()
  .openapi('CreateUser');

export const UpdateUserSchema = z
  .object({
    name: name.optional(),
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional().openapi({ description: 'Disabling also ends every session of the user.' }),
    password: password.optional().openapi({ description: 'A new password; ends every session of the user.' }),
  })
  .strict()
  .openapi('UpdateUser');

export const CreatedUserSchema = UserSchema.extend({
  invitation: z
    .object({
      password: z.string().openapi({ description: 'The generated one-time password. Shown only in this response.' }),
    })
    .optional()
    .openapi({ description: 'Present when no password was sent: hand this password to the user.' }),
}).openapi('CreatedUser');

const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const ListUsersQuerySchema = z.object({
  ...pageParams(),
  role: z
    .enum(ROLES)
    .optional()
    .openapi({ param: { name: 'role', in: 'query' } }),
  disabled: booleanQuery.openapi({ param: { name: 'disabled', in: 'query' }, type: 'string', enum: ['true', 'false'] }),
});

export const UserListSchema = z
  .object({
    data: z.array(UserSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .openapi('UserList');

export const UserIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }),
});

export const UserLookupQuerySchema = z.object({
  ids: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.uuid('must be user ids (UUIDs), separated by commas')).min(1).max(100))
    .openapi({
      param: { name: 'ids', in: 'query' },
      type: 'string',
      description: 'Up to 100 user ids, separated by commas.',
      example: '0f8fad5b-d9cb-469f-a165-70867728950e',
    }),
});

export const UserNameSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() }).openapi('UserName');

export const UserNameListSchema = z
  .object({
    data: z.array(UserNameSchema).openapi({ description: 'The ids that name a user; unknown ids are left out.' }),
  })
  .openapi('UserNameList');
