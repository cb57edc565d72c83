import { fromBase64Url, toBase64Url } from '../../core/encoding.ts';

export interface SigningKey {
  kid: string;
  secret: string;
}

export interface AccessClaims {
  sub: string;
  role: 'admin' | 'editor' | 'viewer';
  iat: number;
  exp: number;
  iss: string;
  jti: string;
}

export const ISSUER = 'edgeplane';
const encoder = new TextEncoder();
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keyCache = new Map<string, Promise<HmacKey>>();

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

const encodeJson = (value: unknown) => toBase64Url(encoder.encode(JSON.stringify(value)));

/** Signs an HS256 JWT with the first (current) key; its `kid` lets verifiers pick the key. */
export async function signJwt(claims: AccessClaims, key: SigningKey): Promise<string> {
  const head = `${encodeJson({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${encodeJson(claims)}`;
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(key.secret), encoder.encode(head));
  return `${head}.${toBase64Url(new Uint8Array(signature))}`;
}

export type JwtFailure = 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'not_yet_valid' | 'bad_claims';

/**
 * Verifies an HS256 JWT against the key its `kid` names (current or previous, for
 * rotation). Only HS256 is accepted: the header cannot choose another algorithm.
 */
export async function verifyJwt(
  token: string,
  keys: SigningKey[],
  nowSeconds: number,
): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: JwtFailure }> {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let claims: Partial<AccessClaims>;
  let signatureBytes: Uint8Array<ArrayBuffer>;
  try {
    header = JSON.parse(new TextDecoder().decode(fromBase64Url(head)));
    claims = JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
    signatureBytes = fromBase64Url(signature);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'HS256') return { ok: false, reason: 'malformed' };
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: 'unknown_key' };
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(key.secret),
    signatureBytes,
    encoder.encode(`${head}.${body}`),
  );
  if (!valid) return { ok: false, reason: 'bad_signature' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + 60) return { ok: false, reason: 'not_yet_valid' };
  if (
    claims.iss !== ISSUER ||
    typeof claims.sub !== 'string' ||
    !['admin', 'editor', 'viewer'].includes(String(claims.role))
  ) {
    return { ok: false, reason: 'bad_claims' };
  }
  return { ok: true, claims: claims as AccessClaims };
}
