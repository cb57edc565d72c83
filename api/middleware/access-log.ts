import type { Context, MiddlewareHandler } from 'hono';
import { routeTemplate } from '../lib/route-template.ts';
import type { AppEnv } from '../lib/types.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at U+0000
const NON_ASCII = /[^\u0000-\u007f]/;

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  // Most bodies are ASCII: one native scan answers, without a loop over every character.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

function sizeOf(data: unknown): number | undefined {
  if (data === null || data === undefined) return 0;
  if (typeof data === 'string') return utf8Length(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return undefined;
}

/**
 * The body's size: counted from the body the app's response was built with
 * (`lib/respond.ts`), else as the response declares it. Reading a finished Response's
 * body instead would cost a stream per request on Node (and buffer streamed downloads).
 */
function bytesOf(c: Context<AppEnv>): number | undefined {
  const state = c.get('response');
  if (state?.response === c.res) return sizeOf(state.body);
  const declared = c.res.headers.get('content-length');
  return declared === null ? undefined : Number(declared);
}

/**
 * One JSON line per request, written once the response is ready: method, route
 * template, status, duration, bytes, request id, the caller and the trace id. The app
 * registers it only when ACCESS_LOG is on and the log level admits info lines.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLog(c, next) {
    const deps = c.get('deps');
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const actor = c.get('actor');
    const status = c.res.status;
    (status >= 500 ? deps.logger.warn : deps.logger.info)('request', {
      method: c.req.method,
      route: routeTemplate(c),
      status,
      durationMs,
      bytes: bytesOf(c),
      requestId: c.get('requestId'),
      userId: actor?.id ?? undefined,
      actorType: actor && actor.type !== 'anonymous' ? actor.type : undefined,
      traceId: c.get('deps').trace?.traceId,
    });
  };
}
