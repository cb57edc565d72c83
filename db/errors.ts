/** Coarse classes of database failures the API maps to distinct responses. */
export type DbErrorClass = 'unavailable' | 'unique_violation' | 'foreign_key_violation' | 'invalid_input' | 'other';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/** The SQLSTATE (or network error code) of a driver error, looking through drizzle's wrapping. */
export function dbErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The constraint a driver error names, if any. */
export function dbErrorConstraint(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}

function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof Error) parts.push(e.message);
  }
  return parts.join(' | ');
}

/**
 * Classifies a driver error. Connection failures, admin shutdowns and resource
 * exhaustion are `unavailable` (the client should retry); the rest are request
 * or program errors.
 */
export function classifyDbError(err: unknown): DbErrorClass {
  const code = dbErrorCode(err);
  if (code) {
    if (NETWORK_CODES.has(code)) return 'unavailable';
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P')) return 'unavailable';
    if (code === '23505') return 'unique_violation';
    if (code === '23503') return 'foreign_key_violation';
    if (code.startsWith('22')) return 'invalid_input';
    return 'other';
  }
  const text = messages(err);
  // neon-http reports transport failures as NeonDbError without a SQLSTATE; pg
  // reports a dead pool the same way.
  if (
    /Error connecting to database|Server error \(HTTP status 5|fetch failed|Connection terminated|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end/i.test(
      text,
    )
  ) {
    return 'unavailable';
  }
  return 'other';
}
