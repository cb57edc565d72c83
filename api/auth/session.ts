import type { Context } from 'hono';
import { generateCookie } from 'hono/cookie';
import type { AppDeps } from '../../core/deps.ts';
import { randomToken, sha256Hex } from '../../core/encoding.ts';
import { storeRefreshToken } from '../../db/queries/auth.ts';
import type { UserRow } from '../../db/schema.ts';
import { SESSION_HINT_COOKIE } from '../../vocabulary/session.ts';
import { addResponseCookie } from '../lib/respond.ts';
import type { AppEnv } from '../lib/types.ts';
import { ISSUER, signJwt } from './jwt.ts';

export const ACCESS_COOKIE = 'edgeplane_access';
export const REFRESH_COOKIE = 'edgeplane_refresh';
/** Refresh cookies go only to the auth endpoints, never to every API call. */
const REFRESH_COOKIE_PATH = '/api/v1/auth';
export const API_KEY_PREFIX = 'ep_';

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export async function accessToken(deps: AppDeps, user: Pick<UserRow, 'id' | 'role'>): Promise<string> {
  const now = Math.floor(deps.clock().getTime() / 1000);
  const [key] = deps.config.auth.signingKeys;
  if (!key) throw new Error('no JWT signing key');
  return signJwt(
    {
      sub: user.id,
      role: user.role,
      iat: now,
      exp: now + deps.config.auth.accessTokenTtlSeconds,
      iss: ISSUER,
      jti: crypto.randomUUID(),
    },
    key,
  );
}

/** A fresh access token plus the refresh token that continues `familyId` (a new family at login). */
export async function issueSession(deps: AppDeps, user: UserRow, familyId = crypto.randomUUID()): Promise<Session> {
  const refreshToken = randomToken();
  await storeRefreshToken(deps.db, {
    userId: user.id,
    familyId,
    tokenHash: await sha256Hex(refreshToken),
    expiresAt: refreshExpiry(deps),
  });
  return sessionOf(deps, user, refreshToken);
}

export async function sessionOf(deps: AppDeps, user: UserRow, refreshToken: string): Promise<Session> {
  return {
    accessToken: await accessToken(deps, user),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: deps.config.auth.accessTokenTtlSeconds,
  };
}

export function refreshExpiry(deps: AppDeps): Date {
  return new Date(deps.clock().getTime() + deps.config.auth.refreshTokenTtlDays * 86_400_000);
}

/** A cookie on the response, as `hono/cookie` serializes it. */
function putCookie(c: Context<AppEnv>, name: string, value: string, options: Parameters<typeof generateCookie>[2]) {
  addResponseCookie(c, generateCookie(name, value, options));
}

/**
 * Session cookies for the dashboard: httpOnly, SameSite=Strict, Secure when served over
 * https; and the session hint beside them, readable by script and as long-lived as the
 * refresh cookie (see vocabulary/session.ts).
 */
export function setSessionCookies(c: Context<AppEnv>, session: Session): void {
  const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  const common = { httpOnly: true, secure, sameSite: 'Strict' } as const;
  const refreshMaxAge = c.get('deps').config.auth.refreshTokenTtlDays * 86_400;
  putCookie(c, ACCESS_COOKIE, session.accessToken, { ...common, path: '/', maxAge: session.expiresIn });
  putCookie(c, REFRESH_COOKIE, session.refreshToken, { ...common, path: REFRESH_COOKIE_PATH, maxAge: refreshMaxAge });
  putCookie(c, SESSION_HINT_COOKIE, '1', { ...common, httpOnly: false, path: '/', maxAge: refreshMaxAge });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  putCookie(c, ACCESS_COOKIE, '', { path: '/', maxAge: 0 });
  putCookie(c, REFRESH_COOKIE, '', { path: REFRESH_COOKIE_PATH, maxAge: 0 });
  putCookie(c, SESSION_HINT_COOKIE, '', { path: '/', maxAge: 0 });
}
