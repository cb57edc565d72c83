import { describeError } from '../../db/errors.ts';

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are never logged, matched case-insensitively as a part of the key
 * (`password`, `newPassword`, `x-api-key`, `refreshToken`, `set-cookie` …).
 */
export const DEFAULT_REDACT_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'api_key',
  'api-key',
  'signature',
  'credential',
  'private',
  'connectionstring',
  'database_url',
] as const;

const MAX_DEPTH = 6;
const MAX_REMEMBERED_KEYS = 1_000;

/**
 * A redactor for `keys` (plus the defaults): copies a value with secret-looking keys
 * blanked and errors described without their statements or values. Given `into`, an
 * object's fields are copied into that object (a log line's) instead of a new one.
 */
export function createRedactor(
  extraKeys: readonly string[] = [],
): (value: unknown, into?: Record<string, unknown>) => unknown {
  const needles = [...DEFAULT_REDACT_KEYS, ...extraKeys.map((k) => k.toLowerCase())];
  // Log lines repeat the same few keys: remember each verdict (a bounded number of them).
  const verdicts = new Map<string, boolean>();
  const secret = (key: string) => {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const lower = key.toLowerCase();
      verdict = needles.some((needle) => lower.includes(needle));
      if (verdicts.size < MAX_REMEMBERED_KEYS) verdicts.set(key, verdict);
    }
    return verdict;
  };
  const walk = (value: unknown, depth: number, into?: Record<string, unknown>): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[nested]';
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    if (value instanceof Date) return value;
    // By class, code and a value-free reason: an error's message can quote a failed statement.
    if (value instanceof Error) return describeError(value);
    const out: Record<string, unknown> = into ?? {};
    // A key loop, not Object.entries: no array of pairs per object of every log line.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const v = (value as Record<string, unknown>)[key];
      out[key] = secret(key) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1);
    }
    return out;
  };
  return (value, into) => walk(value, 0, into);
}
