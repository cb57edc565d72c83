/**
 * The Upstash Redis REST protocol as `@upstash/redis` 1.39 speaks it, for the local
 * stand-in: commands arrive as JSON arrays, replies leave as `{result}` / `{error}`.
 */

/** A request the stand-in refuses before reaching Redis; answered as `{error}` with this status. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Commands that change the state of the one connection all requests share (or block it),
 * which a stateless REST call cannot give back: refused rather than run.
 */
const REFUSED = new Set([
  'AUTH',
  'HELLO',
  'SELECT',
  'QUIT',
  'RESET',
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'MONITOR',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'BLPOP',
  'BRPOP',
  'BLMOVE',
  'BRPOPLPUSH',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'WAIT',
  'CLIENT',
]);

/** One command: a non-empty JSON array of strings, numbers or booleans, sent to Redis as strings. */
export function readCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequest('ERR a command is a non-empty JSON array, like ["SET","key","value"]');
  }
  const args = value.map((arg) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new BadRequest(`ERR command arguments must be strings or numbers, got ${JSON.stringify(arg)}`);
  });
  const name = (args[0] as string).toUpperCase();
  if (REFUSED.has(name)) throw new BadRequest(`ERR ${name} is not supported over REST by this stand-in`);
  return args;
}

/** `/pipeline` and `/multi-exec`: a non-empty JSON array of commands. */
export function readCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequest('ERR the body is a non-empty JSON array of commands, like [["INCR","k"],["GET","k"]]');
  }
  return value.map(readCommand);
}

export type Reply = { result: unknown } | { error: string };

/**
 * Turns a Redis reply (RESP2, bulk strings as bytes) into Upstash's JSON. With base64
 * encoding every string becomes base64, at any depth, except the status `OK`, which the
 * client compares as is; numbers and null stay as they are. Bulk strings are bytes here,
 * so a stored value "OK" is encoded like any other and only the status is left alone.
 */
export function toJson(reply: unknown, base64: boolean): unknown {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return Number(reply);
  if (typeof reply === 'boolean') return reply ? 1 : 0;
  if (reply instanceof Uint8Array) {
    return base64 ? bytesToBase64(reply) : new TextDecoder().decode(reply);
  }
  if (typeof reply === 'string') {
    return base64 && reply !== 'OK' ? bytesToBase64(new TextEncoder().encode(reply)) : reply;
  }
  if (reply instanceof Error) return reply.message;
  if (Array.isArray(reply)) return reply.map((item) => toJson(item, base64));
  // A map reply (HGETALL and the like): Upstash answers with the flat [field, value, …] list.
  const entries = reply instanceof Map ? [...reply.entries()] : Object.entries(reply as object);
  return entries.flat().map((item) => toJson(item, base64));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
