import { constantTimeEqual, fromBase64Url, toBase64Url } from './encoding.ts';

/**
 * PBKDF2-SHA256 iterations for new hashes. workerd refuses more than 100,000, and
 * the count is stored in each hash, so it can be raised later without breaking old ones.
 */
export const PASSWORD_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url parts). */
export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/** Checks a password against a stored hash; false for a malformed or absent hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, iterations, salt, hash] = (stored ?? '').split('$');
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash || !/^\d+$/.test(iterations)) return false;
  const count = Number(iterations);
  if (count < 1 || count > PASSWORD_ITERATIONS) return false;
  const expected = fromBase64Url(hash);
  return constantTimeEqual(await derive(password, fromBase64Url(salt), count), expected);
}

/** True when a hash was made with fewer iterations than new hashes use (rehash on login). */
export function needsRehash(stored: string): boolean {
  return Number(stored.split('$')[1]) < PASSWORD_ITERATIONS;
}

/** A hash of a random password, for checks against unknown users (same cost, no enumeration by timing). */
export const DUMMY_HASH = `pbkdf2-sha256$${PASSWORD_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
