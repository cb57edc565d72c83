import { type JWTHeaderParameters, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/encoding.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../core/password.ts';
import { type AccessClaims, ISSUER, signJwt, verifyJwt } from './jwt.ts';

const now = 1_800_000_000;
const current = { kid: 'k2', secret: 'current-secret-of-at-least-32-characters!!' };
const previous = { kid: 'k1', secret: 'previous-secret-of-at-least-32-characters!' };
const claims = (overrides: Partial<AccessClaims> = {}): AccessClaims => ({
  sub: 'user-1',
  role: 'editor',
  iat: now,
  exp: now + 900,
  iss: ISSUER,
  jti: 'j1',
  ...overrides,
});

const encode = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
/** Signs any header and payload with `current`'s secret, for tokens signJwt would never produce. */
const signRaw = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', kid: current.kid, ...header } as JWTHeaderParameters)
    .sign(new TextEncoder().encode(current.secret));
const without = (name: keyof AccessClaims) => {
  const { [name]: _dropped, ...rest } = claims();
  return rest;
};

// Signed by the hand-written HS256 code this module replaced: tokens issued before the switch stay valid.
const issuedBefore =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsyIn0.eyJzdWIiOiJ1c2VyLTEiLCJyb2xlIjoiZWRpdG9yIiwiaWF0IjoxODAwMDAwMDAwLCJleHAiOjE4MDAwMDA5MDAsImlzcyI6ImVkZ2VwbGFuZSIsImp0aSI6ImoxIn0.y2O4REXSAt5AYEwkNJjNL4h4dkoYbnmyxpqiiXpPPys';

describe('JWT', () => {
  it('Should verify a token signed with the current key, and one signed with the previous key', async () => {
    expect(await verifyJwt(await signJwt(claims(), current), [current, previous], now)).toMatchObject({ ok: true });
    expect(await verifyJwt(await signJwt(claims(), previous), [current, previous], now)).toMatchObject({ ok: true });
  });

  it('Should sign byte for byte as before, and verify a token issued before', async () => {
    expect(await signJwt(claims(), current)).toBe(issuedBefore);
    expect(await verifyJwt(issuedBefore, [current, previous], now)).toEqual({ ok: true, claims: claims() });
  });

  it('Should refuse an expired token, from the second of its exp on', async () => {
    const token = await signJwt(claims({ exp: now - 1 }), current);
    expect(await verifyJwt(token, [current], now)).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyJwt(await signJwt(claims({ exp: now }), current), [current], now)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await verifyJwt(await signJwt(claims({ exp: now + 1 }), current), [current], now)).toMatchObject({
      ok: true,
    });
  });

  it('Should accept an iat up to a minute ahead (clock skew) and refuse one further ahead', async () => {
    const ahead = (seconds: number) => signJwt(claims({ iat: now + seconds }), current);
    expect(await verifyJwt(await ahead(60), [current], now)).toMatchObject({ ok: true });
    expect(await verifyJwt(await ahead(61), [current], now)).toEqual({ ok: false, reason: 'not_yet_valid' });
  });

  it('Should refuse a token whose nbf is still ahead', async () => {
    expect(await verifyJwt(await signRaw({ ...claims(), nbf: now + 30 }), [current], now)).toEqual({
      ok: false,
      reason: 'not_yet_valid',
    });
    expect(await verifyJwt(await signRaw({ ...claims(), nbf: now }), [current], now)).toMatchObject({ ok: true });
  });

  it('Should refuse a tampered payload', async () => {
    const [head, , signature] = (await signJwt(claims(), current)).split('.');
    const forged = encode(claims({ role: 'admin' }));
    expect(await verifyJwt(`${head}.${forged}.${signature}`, [current], now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('Should refuse a token signed with a key we do not hold, or naming another kid', async () => {
    const stranger = { kid: 'k2', secret: 'someone-elses-secret-of-32-characters-long' };
    expect(await verifyJwt(await signJwt(claims(), stranger), [current], now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const unknownKid = await signJwt(claims(), { ...current, kid: 'k9' });
    expect(await verifyJwt(unknownKid, [current], now)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(await verifyJwt(await signRaw({ ...claims() }, { kid: undefined }), [current], now)).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
  });

  it('Should refuse alg none and any algorithm but HS256, even with the right secret', async () => {
    const none = `${encode({ alg: 'none', kid: 'k2' })}.${encode(claims())}.`;
    expect(await verifyJwt(none, [current], now)).toEqual({ ok: false, reason: 'malformed' });
    const hs512 = await signRaw({ ...claims() }, { alg: 'HS512' });
    expect(await verifyJwt(hs512, [current], now)).toEqual({ ok: false, reason: 'malformed' });
    const noAlg = `${encode({ kid: 'k2' })}.${encode(claims())}.`;
    expect(await verifyJwt(noAlg, [current], now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('Should refuse garbage, a header that is not an object, and a signed payload that is not an object', async () => {
    expect(await verifyJwt('not.a.jwt', [current], now)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyJwt('only.two', [current], now)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyJwt(`${encode(null)}.${encode(claims())}.AAAA`, [current], now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const [head] = (await signJwt(claims(), current)).split('.');
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(current.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const body = encode(['not', 'an', 'object']);
    const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${head}.${body}`));
    const array = `${head}.${body}.${toBase64Url(new Uint8Array(signature))}`;
    expect(await verifyJwt(array, [current], now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('Should refuse a header with an extension it does not understand', async () => {
    // The signer has to be told it understands the extension, or it refuses to sign.
    const critical = await new SignJWT({ ...claims() })
      .setProtectedHeader({ alg: 'HS256', kid: current.kid, crit: ['urn:example:unknown'], 'urn:example:unknown': 1 })
      .sign(new TextEncoder().encode(current.secret), { crit: { 'urn:example:unknown': true } });
    expect(await verifyJwt(critical, [current], now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('Should refuse another issuer, an unknown role and a subject that is not a string', async () => {
    const refused = { ok: false, reason: 'bad_claims' };
    expect(await verifyJwt(await signJwt(claims({ iss: 'someone-else' }), current), [current], now)).toEqual(refused);
    expect(await verifyJwt(await signRaw({ ...claims(), role: 'owner' }), [current], now)).toEqual(refused);
    expect(await verifyJwt(await signRaw({ ...claims(), sub: 42 }), [current], now)).toEqual(refused);
  });

  it('Should refuse a token without exp, iat, sub or iss, or with a non-numeric exp', async () => {
    const refused = { ok: false, reason: 'bad_claims' };
    for (const claim of ['exp', 'iat', 'sub', 'iss'] as const) {
      expect(await verifyJwt(await signRaw(without(claim)), [current], now), claim).toEqual(refused);
    }
    expect(await verifyJwt(await signRaw({ ...claims(), exp: String(now + 900) }), [current], now)).toEqual(refused);
  });
});

describe('passwords', () => {
  it('Should verify the right password and refuse a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
  });

  it('Should salt each hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('Should verify a hash made with fewer iterations and flag it for rehashing', async () => {
    const old = await hashPassword('pw', 1_000);
    expect(await verifyPassword('pw', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('Should refuse malformed and absent hashes', async () => {
    expect(await verifyPassword('pw', null)).toBe(false);
    expect(await verifyPassword('pw', 'md5$abc')).toBe(false);
    expect(await verifyPassword('pw', 'pbkdf2-sha256$999999999$AA$AA')).toBe(false);
  });
});
