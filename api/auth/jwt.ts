import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { ROLES, type Role } from '../../vocabulary/permissions.ts';

export interface SigningKey {
  kid: string;
  secret: string;
}

export interface AccessClaims {
  sub: string;
  role: Role;
  iat: number;
  exp: number;
  iss: string;
  jti: string;
}

export const ISSUER = 'edgeplane';
/** How far in the future `iat` may be (clock skew between replicas); `exp` gets no such grace. */
const IAT_LEEWAY_SECONDS = 60;
const encoder = new TextEncoder();
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keyCache = new Map<string, Promise<HmacKey>>();

/** One imported key per secret, so neither signing nor verifying imports a key per request. */
function hmacKey(secret: string): Promise<HmacKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

/** Signs an HS256 JWT with the first (current) key; its `kid` lets verifiers pick the key. */
export async function signJwt(claims: AccessClaims, key: SigningKey): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
    .sign(await hmacKey(key.secret));
}

export type JwtFailure = 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'not_yet_valid' | 'bad_claims';

/**
 * jose's error codes onto our reasons. Anything else jose refuses (not three parts, bad
 * base64url or JSON, a disallowed or missing `alg`, an unknown `crit`) is malformed.
 */
function failureOf(error: errors.JOSEError): JwtFailure {
  switch (error.code) {
    case errors.JWKSNoMatchingKey.code:
      return 'unknown_key';
    case errors.JWSSignatureVerificationFailed.code:
      return 'bad_signature';
    case errors.JWTExpired.code:
      return 'expired';
    case errors.JWTClaimValidationFailed.code: {
      const { claim, reason } = error as errors.JWTClaimValidationFailed;
      return reason === 'check_failed' && (claim === 'nbf' || claim === 'iat') ? 'not_yet_valid' : 'bad_claims';
    }
    default:
      return 'malformed';
  }
}

const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/**
 * Verifies an HS256 JWT against the key its `kid` names (current or previous, for
 * rotation). Only HS256 is accepted: the header cannot choose another algorithm.
 */
export async function verifyJwt(
  token: string,
  keys: SigningKey[],
  nowSeconds: number,
): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: JwtFailure }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        const key = keys.find((k) => k.kid === header.kid);
        if (!key) throw new errors.JWKSNoMatchingKey();
        return hmacKey(key.secret);
      },
      {
        algorithms: ['HS256'],
        issuer: ISSUER,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(nowSeconds * 1000),
        // No clockTolerance: jose would apply it to `exp` too, and an expired token stays expired.
      },
    ));
  } catch (error) {
    if (error instanceof errors.JOSEError) return { ok: false, reason: failureOf(error) };
    throw error;
  }
  // jose only looks at a future `iat` when given a maximum token age; the allowance is ours.
  if ((payload.iat as number) > nowSeconds + IAT_LEEWAY_SECONDS) return { ok: false, reason: 'not_yet_valid' };
  if (typeof payload.sub !== 'string' || !isRole(payload.role)) return { ok: false, reason: 'bad_claims' };
  return { ok: true, claims: payload as unknown as AccessClaims };
}
