/** Coarse classes of database failures the API maps to distinct responses. */
export type DbErrorClass =
  | 'unavailable'
  | 'schema_outdated'
  | 'unique_violation'
  | 'foreign_key_violation'
  | 'invalid_input'
  | 'other';

/**
 * SQLSTATEs that mean the schema is not what the statements expect: no such schema,
 * table, column, function or type. Statements are built from `db/schema.ts`, so these
 * come from a database that was never migrated, or migrated by an older version.
 */
const SCHEMA_CODES = new Set(['3F000', '42P01', '42703', '42883', '42704']);

/** What to do about a `schema_outdated` database, in words an operator can act on. */
export const SCHEMA_FIX =
  'run `npm run db:migrate` against this database, or start the server with MIGRATE_ON_START=true';

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
    // 57014 is a statement timeout (or a cancel): the database did not answer in time.
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57')) return 'unavailable';
    if (SCHEMA_CODES.has(code)) return 'schema_outdated';
    if (code === '23505') return 'unique_violation';
    if (code === '23503') return 'foreign_key_violation';
    if (code.startsWith('22')) return 'invalid_input';
    return 'other';
  }
  const text = messages(err);
  // neon-http reports transport failures as NeonDbError without a SQLSTATE; pg
  // reports a dead pool the same way.
  if (
    /Error connecting to database|Server error \(HTTP status 5|fetch failed|Connection terminated|timeout exceeded when trying to connect|Query read timeout|aborted due to timeout|PGlite is closed|Cannot use a pool after calling end/i.test(
      text,
    )
  ) {
    return 'unavailable';
  }
  return 'other';
}

/** What a log line (or a job's recorded error) may say about an error: never SQL text or values. */
export interface ErrorDescription {
  /** The error's own class (`DatabaseError`, `TypeError`…). */
  name: string;
  /** For database errors: the class the API maps to a response. */
  class?: DbErrorClass;
  /** The SQLSTATE, or the network error code. */
  code?: string;
  /** The reason, with the statement, its parameters and any quoted value taken out. */
  message: string;
  /** Code locations of a program error (frames only: the first line of a stack repeats the message). */
  stack?: string[];
}

const MAX_MESSAGE = 300;
const MAX_FRAMES = 8;
// Postgres quotes identifiers and values alike; an identifier after one of these words is kept.
const IDENTIFIER_BEFORE_QUOTE =
  /\b(relation|column|constraint|table|index|type|schema|function|database|role|user|sequence|encoding|operator|extension|view|trigger|savepoint|cursor|statement|parameter|collation|domain)\s*$/i;

/**
 * Drizzle's query error: its message is the statement and its parameters, so only its
 * cause is read. (PGlite's own errors carry `query` and `params` fields too; their
 * message is Postgres's, and the fields are never read.)
 */
function isQueryWrapper(e: unknown): boolean {
  return e instanceof Error && (e.name === 'DrizzleQueryError' || e.message.startsWith('Failed query:'));
}

/**
 * A message without values: quoted literals (`invalid input syntax for type uuid: "…"`),
 * byte dumps and anything after a `params:` line are cut; quoted identifiers stay.
 */
export function scrubMessage(message: string): string {
  const withoutParams = message.split(/\n\s*params:/)[0] as string;
  let out = '';
  let rest = withoutParams.replace(/0x[0-9a-f]{2}(\s+0x[0-9a-f]{2})*/gi, '0x…');
  for (let open = rest.indexOf('"'); open !== -1; open = rest.indexOf('"')) {
    const close = rest.indexOf('"', open + 1);
    if (close === -1) break;
    const before = rest.slice(0, open);
    const quoted = rest.slice(open, close + 1);
    out += before + (IDENTIFIER_BEFORE_QUOTE.test(before) ? quoted : '"…"');
    rest = rest.slice(close + 1);
  }
  out += rest;
  const flat = out.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/**
 * Describes an error by class, code and a value-free reason, looking through drizzle's
 * wrapping to the driver's error. The one way errors reach logs, so a failed statement
 * carrying a password hash or a signing secret cannot put it there.
 */
export function describeError(err: unknown): ErrorDescription {
  if (!(err instanceof Error)) return { name: typeof err, message: scrubMessage(String(err)) };
  const reasons: string[] = [];
  let wrapped = false;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isQueryWrapper(e)) {
      wrapped = true;
      continue;
    }
    if (e instanceof Error && e.message) reasons.push(e.message);
    else if (typeof e === 'string') reasons.push(e);
  }
  const code = dbErrorCode(err);
  const dbClass = classifyDbError(err);
  const isDatabase = wrapped || dbClass !== 'other';
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
  return {
    name: err.name,
    class: isDatabase ? dbClass : undefined,
    code,
    message: scrubMessage(reasons.join(': ') || (wrapped ? 'database query failed' : '')),
    stack: isDatabase || frames.length === 0 ? undefined : frames,
  };
}
