/**
 * Rejects a TTL that Redis would reject (`EX` takes a positive whole number of seconds),
 * so every adapter fails the same way, before sending anything.
 */
export function checkTtl(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`ttlSeconds must be a positive whole number, got ${ttlSeconds}`);
  }
}
