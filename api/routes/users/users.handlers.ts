import { randomToken } from '../../../core/encoding.ts';
import { hashPassword } from '../../../core/password.ts';
import { classifyDbError } from '../../../db/errors.ts';
import { findUser } from '../../../db/queries/auth.ts';
import * as queries from '../../../db/queries/users.ts';
import { auditContext } from '../../lib/audit-context.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { ApiError } from '../../lib/errors.ts';
import { json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import { toUser } from '../auth/auth.handlers.ts';
import type { CreateRoute, GetRoute, ListRoute, LookupRoute, UpdateRoute } from './users.routes.ts';

const SORT = '-created';

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid('query');
  const page = await queries.listUsers(c.get('deps').db, {
    limit: query.limit,
    after: query.cursor ? decodeCursor(query.cursor, SORT) : undefined,
    role: query.role,
    disabled: query.disabled,
  });
  return json(c, { data: page.rows.map(toUser), nextCursor: page.next ? encodeCursor(SORT, page.next) : null }, 200);
};

export const lookup: AppRouteHandler<LookupRoute> = async (c) => {
  const { ids } = c.req.valid('query');
  return json(c, { data: await queries.userNames(c.get('deps').db, [...new Set(ids)]) }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await findUser(c.get('deps').db, id);
  if (!row) throw notFound(id);
  return json(c, toUser(row), 200);
};

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { password, ...input } = c.req.valid('json');
  // 18 random bytes: 24 URL-safe characters, typed once by the invited user.
  const oneTime = password === undefined ? randomToken(18) : undefined;
  let row: Awaited<ReturnType<typeof queries.createUser>>;
  try {
    row = await queries.createUser(
      c.get('deps').db,
      { ...input, passwordHash: await hashPassword(password ?? (oneTime as string)) },
      auditContext(c),
    );
  } catch (err) {
    if (classifyDbError(err) !== 'unique_violation') throw err;
    throw new ApiError('conflict', {
      detail: `A user with the email ${input.email} already exists.`,
      errors: [{ field: 'email', in: 'body', message: 'is already taken' }],
    });
  }
  const invitation = oneTime ? { invitation: { password: oneTime } } : {};
  return json(c, { ...toUser(row), ...invitation }, 201, { location: `/api/v1/users/${row.id}` });
};

export const update: AppRouteHandler<UpdateRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const { password, ...patch } = c.req.valid('json');
  if (Object.keys(patch).length === 0 && password === undefined) {
    throw new ApiError('validation_failed', {
      detail: 'The body changes nothing: send at least one field to update.',
      errors: [{ field: '(root)', in: 'body', message: 'at least one field is required' }],
    });
  }
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  const action = patch.disabled === true ? 'user.disabled' : 'user.updated';
  const result = await queries.updateUser(
    c.get('deps').db,
    id,
    { ...patch, ...(passwordHash ? { passwordHash } : {}) },
    auditContext(c),
    action,
  );
  if (!result.ok) throw result.reason === 'not_found' ? notFound(id) : lastAdmin();
  return json(c, toUser(result.user), 200);
};

function notFound(id: string) {
  return new ApiError('not_found', { detail: `User ${id} does not exist.` });
}

function lastAdmin() {
  return new ApiError('conflict', {
    detail: 'This would leave no enabled admin: promote or enable another admin first.',
  });
}
