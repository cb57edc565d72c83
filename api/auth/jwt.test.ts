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

describe('JWT', () => {
  it('Should verify a token signed with the current key, and one signed with the previous key', async () => {
    expect(await verifyJwt(await signJwt(claims(), current), [current, previous], now)).toMatchObject({ ok: true });
    expect(await verifyJwt(await signJwt(claims(), previous), [current, previous], now)).toMatchObject({ ok: true });
  });

  it('Should refuse an expired token', async () => {
    const token = await signJwt(claims({ exp: now - 1 }), current);
    expect(await verifyJwt(token, [current], now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('Should refuse a tampered payload', async () => {
    const [head, , signature] = (await signJwt(claims(), current)).split('.');
    const forged = toBase64Url(new TextEncoder().encode(JSON.stringify(claims({ role: 'admin' }))));
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
  });

  it('Should refuse alg none and garbage', async () => {
    const none = `${toBase64Url(new TextEncoder().encode('{"alg":"none","kid":"k2"}'))}.${toBase64Url(new TextEncoder().encode(JSON.stringify(claims())))}.`;
    expect((await verifyJwt(none, [current], now)).ok).toBe(false);
    expect(await verifyJwt('not.a.jwt', [current], now)).toEqual({ ok: false, reason: 'malformed' });
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
