import { randomToken, sha256Hex } from '../../../core/encoding.ts';
import * as queries from '../../../db/queries/api-keys.ts';
import { ROLES, type Role } from '../../../vocabulary/permissions.ts';
import { API_KEY_PREFIX } from '../../auth/session.ts';
import { auditContext } from '../../lib/audit-context.ts';
import { ApiError } from '../../lib/errors.ts';
import { empty, json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { CreateRoute, ListRoute, RevokeRoute } from './api-keys.routes.ts';
import { toApiKey } from './api-keys.schemas.ts';

/** `ep_` and 7 characters: enough to tell keys apart, far too little to guess one. */
const PREFIX_LENGTH = API_KEY_PREFIX.length + 7;

/** Whether a caller of role `caller` may hand out `role`: never more than their own. */
export function grantable(caller: Role, role: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(caller);
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const body = c.req.valid('json');
  const actor = c.get('actor');
  // Today only admins hold keys:manage; the check keeps it safe if that ever widens.
  if (!('role' in actor) || !grantable(actor.role, body.role)) {
    throw new ApiError('forbidden', {
      detail: `A key cannot have a higher role than its creator's (${'role' in actor ? actor.role : 'none'}).`,
      errors: [{ field: 'role', in: 'body', message: 'is above your own role' }],
    });
  }
  const key = `${API_KEY_PREFIX}${randomToken()}`;
  const row = await queries.createApiKey(
    c.get('deps').db,
    {
      name: body.name,
      role: body.role,
      prefix: key.slice(0, PREFIX_LENGTH),
      keyHash: await sha256Hex(key),
      createdBy: actor.type === 'user' ? actor.id : null,
    },
    auditContext(c),
  );
  return json(c, { ...toApiKey(row), key }, 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const rows = await queries.listApiKeys(c.get('deps').db);
  return json(c, { data: rows.map(toApiKey) }, 200);
};

export const revoke: AppRouteHandler<RevokeRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const { db } = c.get('deps');
  if (await queries.revokeApiKey(db, id, auditContext(c))) return empty(c, 204);
  // Revoking twice is not an error, but there is nothing to audit the second time.
  if (await queries.getApiKey(db, id)) return empty(c, 204);
  throw new ApiError('not_found', { detail: `API key ${id} does not exist.` });
};
