import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { findApiKey, findUser } from '../../db/queries/auth.ts';
import { sha256Hex } from '../auth/encoding.ts';
import { type AccessClaims, verifyJwt } from '../auth/jwt.ts';
import { ACCESS_COOKIE, API_KEY_PREFIX } from '../auth/session.ts';
import type { AppEnv } from '../lib/types.ts';

const FAILURES: Record<string, string> = {
  expired: 'The access token has expired; refresh it or sign in again.',
  unknown_key: 'The access token was signed with a key this server no longer accepts; sign in again.',
  api_key: 'The API key is unknown or revoked.',
  account: 'The account is disabled or no longer exists.',
};

/**
 * Verifies a token's signature, then checks the account: a disabled or deleted user
 * is refused, and the role is the account's current one, not the one in the token.
 */
async function verifyAccessToken(deps: AppEnv['Variables']['deps'], token: string, now: number) {
  const result = await verifyJwt(token, deps.config.auth.signingKeys, now);
  if (!result.ok) return result;
  const user = await findUser(deps.db, result.claims.sub);
  if (!user || user.disabled) return { ok: false as const, reason: 'account' as const };
  return { ok: true as const, claims: { ...result.claims, role: user.role } };
}

/**
 * Resolves who is calling from a Bearer token (an access token or an `ep_` API key)
 * or the dashboard's session cookie. Bad credentials do not fail here: the request
 * stays anonymous with the reason kept, and a route that needs a permission answers
 * 401 with it, while public routes (health, login) keep working.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  const verified = verifiedTokens();
  return async function authenticate(c, next) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const token = bearer ?? getCookie(c, ACCESS_COOKIE);
    if (token) {
      const deps = c.get('deps');
      if (token.startsWith(API_KEY_PREFIX)) {
        try {
          const key = await findApiKey(deps.db, await sha256Hex(token));
          if (key) c.set('actor', { type: 'api_key', id: key.id, role: key.role });
          else c.set('authError', FAILURES.api_key);
        } catch (error) {
          c.set('authException', error);
        }
      } else {
        const now = Math.floor(deps.clock().getTime() / 1000);
        try {
          const result = await verified.check(token, now, () => verifyAccessToken(deps, token, now));
          if (result.ok) c.set('actor', { type: 'user', id: result.claims.sub, role: result.claims.role });
          else c.set('authError', FAILURES[result.reason] ?? 'The access token is not valid.');
        } catch (error) {
          // The account lookup failed (database down): public routes go on; protected ones rethrow it.
          c.set('authException', error);
        }
      }
    }
    await next();
  };
}

const CACHE_ENTRIES = 2_000;
const CACHE_SECONDS = 60;

/**
 * Remembers tokens that passed verification (signature and account), so a client's
 * repeated requests skip the HMAC (Web Crypto runs it off the main thread on Node: a
 * hop per request) and the account lookup. Keyed by the exact token, so nothing else
 * can match; expiry is checked on every use, and an entry lasts at most a minute, so
 * disabling a user, changing a role or removing a signing key takes effect within it.
 */
function verifiedTokens() {
  const entries = new Map<string, { claims: AccessClaims; until: number }>();
  return {
    async check(token: string, now: number, verify: () => ReturnType<typeof verifyAccessToken>) {
      const hit = entries.get(token);
      if (hit && hit.until > now) {
        return hit.claims.exp > now
          ? { ok: true as const, claims: hit.claims }
          : { ok: false as const, reason: 'expired' as const };
      }
      const result = await verify();
      if (result.ok) {
        if (entries.size >= CACHE_ENTRIES) entries.delete(entries.keys().next().value as string);
        entries.set(token, { claims: result.claims, until: Math.min(result.claims.exp, now + CACHE_SECONDS) });
      }
      return result;
    },
  };
}
