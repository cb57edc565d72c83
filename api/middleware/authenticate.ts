import type { Context, MiddlewareHandler, Next } from 'hono';
import { getCookie } from 'hono/cookie';
import { sha256Hex } from '../../core/encoding.ts';
import { findApiKey, findUser } from '../../db/queries/auth.ts';
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
  // Synchronous for a request without credentials (probes, the dashboard's files) and
  // for a token verified a moment ago: only a lookup awaits anything.
  return function authenticate(c, next) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const token = bearer ?? (c.req.header('cookie') === undefined ? undefined : getCookie(c, ACCESS_COOKIE));
    if (!token) return next();
    if (token.startsWith(API_KEY_PREFIX)) return identifyApiKey(c, token, next);
    const now = Math.floor(c.get('deps').clock().getTime() / 1000);
    const known = verified.get(token, now);
    if (!known) return identifyUser(c, token, now, next);
    setUser(c, known);
    return next();
  };

  async function identifyApiKey(c: Context<AppEnv>, token: string, next: Next) {
    try {
      const key = await findApiKey(c.get('deps').db, await sha256Hex(token));
      if (key) c.set('actor', { type: 'api_key', id: key.id, role: key.role });
      else c.set('authError', FAILURES.api_key);
    } catch (error) {
      c.set('authException', error);
    }
    await next();
  }

  async function identifyUser(c: Context<AppEnv>, token: string, now: number, next: Next) {
    try {
      const result = await verifyAccessToken(c.get('deps'), token, now);
      if (result.ok) verified.remember(token, result.claims, now);
      setUser(c, result);
    } catch (error) {
      // The account lookup failed (database down): public routes go on; protected ones rethrow it.
      c.set('authException', error);
    }
    await next();
  }
}

type Verification = Awaited<ReturnType<typeof verifyAccessToken>>;

function setUser(c: Context<AppEnv>, result: Verification): void {
  if (result.ok) c.set('actor', { type: 'user', id: result.claims.sub, role: result.claims.role });
  else c.set('authError', FAILURES[result.reason] ?? 'The access token is not valid.');
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
    /** The outcome for a token verified within the last minute, or undefined. */
    get(token: string, now: number): Verification | undefined {
      const hit = entries.get(token);
      if (!hit || hit.until <= now) return undefined;
      return hit.claims.exp > now ? { ok: true, claims: hit.claims } : { ok: false, reason: 'expired' };
    },
    remember(token: string, claims: AccessClaims, now: number): void {
      if (entries.size >= CACHE_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(token, { claims, until: Math.min(claims.exp, now + CACHE_SECONDS) });
    },
  };
}
