import type { Context, MiddlewareHandler, Next } from 'hono';
import { type FieldError, invalidFields } from '../../core/field-errors.ts';
import { ApiError } from '../lib/errors.ts';
import type { AppEnv } from '../lib/types.ts';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// NUL (Postgres text cannot hold it) and UTF-16 surrogates without their other half.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REPLACEMENT = '\uFFFD';
// `\u0000`, or an escape in the surrogate range (D800–DFFF), as JSON text spells them.
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
const MAX_REPORTED = 20;

function problemIn(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'must not contain NUL characters' : 'must be valid Unicode (an unpaired surrogate)';
}

/** Every string (and key) of a parsed JSON value that fails `check`, by dotted path; iterative, so depth cannot overflow. */
function badStrings(value: unknown, check: (text: string) => string | undefined): FieldError[] {
  const found: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length && found.length < MAX_REPORTED) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      const message = check(node);
      if (message) found.push({ field: path || '(root)', in: 'body', message });
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], path ? `${path}.${i}` : String(i)]);
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const childPath = path ? `${path}.${key}` : key;
        const keyProblem = check(key);
        if (keyProblem) found.push({ field: childPath, in: 'body', message: `its name ${keyProblem}` });
        stack.push([child, childPath]);
      }
    }
  }
  return found.reverse();
}

function refuse(errors: FieldError[]): never {
  throw new ApiError('validation_failed', { detail: invalidFields(errors), errors });
}

/** True when `bytes` holds an encoded U+FFFD (EF BF BD) the client sent on purpose. */
function hasEncodedReplacement(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef); i !== -1 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) return true;
  }
  return false;
}

function checkUrl(rawPath: string, query: Record<string, string[]>): void {
  const queryErrors: FieldError[] = [];
  for (const [name, values] of Object.entries(query)) {
    const message = problemIn(name) ?? values.map(problemIn).find(Boolean);
    if (message) queryErrors.push({ field: name, in: 'query', message });
  }
  if (queryErrors.length) refuse(queryErrors);
  let path: string | undefined;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Not percent-decodable: routing treats it as the raw text, which holds no NUL.
  }
  const pathProblem = path === undefined ? undefined : problemIn(path);
  if (pathProblem) refuse([{ field: '(path)', in: 'path', message: pathProblem }]);
}

/**
 * Refuses text that Postgres cannot store or that is not valid Unicode — NUL characters,
 * unpaired surrogates (`"\ud800"`), bytes that are not UTF-8 — in JSON bodies, query
 * parameters and the path, before any handler or statement sees it: 422 naming each
 * field (400 for a body whose bad bytes cannot be placed), never a silent U+FFFD.
 * The decoded text is left in Hono's body cache, so the validators read the body once.
 */
export function strictText(): MiddlewareHandler<AppEnv> {
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');
  // Synchronous unless there is a body to read: most requests pay no promise here.
  return function strictText(c, next) {
    // Only percent-encoding can put these characters in a URL: plain ones pay nothing.
    if (c.req.url.includes('%')) checkUrl(c.req.path, c.req.queries());

    const type = c.req.header('content-type');
    if (!BODY_METHODS.has(c.req.method) || !type || !JSON_TYPE.test(type)) return next();
    return checkBody(c, next);
  };

  async function checkBody(c: Context<AppEnv>, next: Next) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) return next();
    let text: string;
    let invalidUtf8 = false;
    try {
      text = fatal.decode(bytes);
    } catch {
      invalidUtf8 = true;
      text = lenient.decode(bytes);
    }
    // The validators read the body as text (hono's json() parses the cached text): hand
    // them the text decoded here, or hono would rebuild it through a full Response.
    // (The cache holds promises at run time, whatever its declared type says.)
    const pass = () => {
      Object.assign(c.req.bodyCache, { text: Promise.resolve(text) });
      return next();
    };
    // In JSON decoded as valid UTF-8, a NUL or a surrogate can only be a \u escape:
    // without one there is nothing to look for, and the body is parsed once, by the validator.
    if (!invalidUtf8 && !SUSPECT_ESCAPE.test(text)) return pass();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Malformed JSON is the validator's 400.
      if (invalidUtf8) throw new ApiError('invalid_request', { detail: 'The request body is not valid UTF-8.' });
      return pass();
    }
    if (invalidUtf8) {
      // Each bad sequence decoded to U+FFFD: when the client sent none of its own, those strings are the bad fields.
      const placed = !hasEncodedReplacement(bytes) && !text.includes('\\ufffd') && !text.includes('\\uFFFD');
      const fields = placed
        ? badStrings(parsed, (s) => (s.includes(REPLACEMENT) ? 'must be valid UTF-8' : undefined))
        : [];
      if (fields.length) refuse(fields);
      throw new ApiError('invalid_request', { detail: 'The request body is not valid UTF-8.' });
    }
    const errors = badStrings(parsed, problemIn);
    if (errors.length) refuse(errors);
    return pass();
  }
}
