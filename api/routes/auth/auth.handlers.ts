import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { randomToken, sha256Hex } from '../../../core/encoding.ts';
import { DUMMY_HASH, verifyPassword } from '../../../core/password.ts';
import { findUser, findUserByEmail, revokeByToken, rotateRefreshToken } from '../../../db/queries/auth.ts';
import type { UserRow } from '../../../db/schema.ts';
import {
  clearSessionCookies,
  issueSession,
  REFRESH_COOKIE,
  refreshExpiry,
  sessionOf,
  setSessionCookies,
} from '../../auth/session.ts';
import { ApiError } from '../../lib/errors.ts';
import { empty, json } from '../../lib/respond.ts';
import type { AppEnv, AppRouteHandler } from '../../lib/types.ts';
import type {
  login as LoginRoute,
  logout as LogoutRoute,
  me as MeRoute,
  refresh as RefreshRoute,
} from './auth.routes.ts';

export function toUser(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const BAD_CREDENTIALS = 'The email or password is wrong, or the account is disabled.';

export const login: AppRouteHandler<typeof LoginRoute> = async (c) => {
  const { email, password } = c.req.valid('json');
  const deps = c.get('deps');
  const user = await findUserByEmail(deps.db, email);
  // Hash even for unknown emails, so timing does not tell which emails exist.
  const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches || user.disabled) {
    throw new ApiError('unauthorized', { detail: BAD_CREDENTIALS });
  }
  const session = await issueSession(deps, user);
  setSessionCookies(c, session);
  return json(c, { ...session, user: toUser(user) }, 200);
};

function presentedRefreshToken(c: Context<AppEnv>, body: { refreshToken?: string } | undefined): string | undefined {
  return body?.refreshToken ?? getCookie(c, REFRESH_COOKIE);
}

export const refresh: AppRouteHandler<typeof RefreshRoute> = async (c) => {
  const deps = c.get('deps');
  const token = presentedRefreshToken(c, await optionalJson(c));
  if (!token) throw new ApiError('unauthorized', { detail: 'No refresh token was sent.' });
  const next = randomToken();
  const result = await rotateRefreshToken(deps.db, await sha256Hex(token), {
    tokenHash: await sha256Hex(next),
    expiresAt: refreshExpiry(deps),
  });
  if (!result.ok) {
    clearSessionCookies(c);
    const detail =
      result.reason === 'reused'
        ? 'This refresh token was already used; every session of that sign-in has been revoked. Sign in again.'
        : 'The refresh token is not valid; sign in again.';
    if (result.reason === 'reused') deps.logger.warn('refresh token reuse: family revoked', {});
    throw new ApiError('unauthorized', { detail });
  }
  const session = await sessionOf(deps, result.user, next);
  setSessionCookies(c, session);
  return json(c, { ...session, user: toUser(result.user) }, 200);
};

export const logout: AppRouteHandler<typeof LogoutRoute> = async (c) => {
  const token = presentedRefreshToken(c, await optionalJson(c));
  if (token) await revokeByToken(c.get('deps').db, await sha256Hex(token));
  clearSessionCookies(c);
  return empty(c, 204);
};

export const me: AppRouteHandler<typeof MeRoute> = async (c) => {
  const actor = c.get('actor');
  if (!('role' in actor)) throw new ApiError('unauthorized');
  const user = actor.type === 'user' ? await findUser(c.get('deps').db, actor.id) : undefined;
  return json(c, { type: actor.type, id: actor.id, role: actor.role, user: user ? toUser(user) : null }, 200);
};

/** The body of a request whose JSON body is optional (validated already when present). */
async function optionalJson(c: Context<AppEnv>): Promise<{ refreshToken?: string } | undefined> {
  if (!c.req.header('content-type')?.includes('application/json')) return undefined;
  return (c.req as unknown as { valid(target: 'json'): { refreshToken?: string } }).valid('json');
}
