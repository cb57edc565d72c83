/**
 * The publish headers and the delivery signature of QStash, as `@upstash/qstash` 2.12
 * sends and verifies them. Used by the local stand-in (development and tests only).
 */

/** A publish refused before it is queued; answered with its status (400 unless said) and message. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One publish, read from its headers: what the stand-in needs to deliver it. */
export interface PublishRequest {
  destination: string;
  method: HttpMethod;
  body: Uint8Array;
  contentType?: string;
  /** `Upstash-Forward-*` headers, prefix removed: sent on to the destination. */
  forwardHeaders: Record<string, string>;
  /** Every `Upstash-*` header as received, so tests can assert what an app asked for. */
  upstashHeaders: Record<string, string>;
  /** When it arrived, ms since the epoch: the base of `Upstash-Delay`. */
  receivedAt: number;
  /** Earliest delivery, ms since the epoch. */
  notBefore: number;
  retries?: number;
  timeoutMs?: number;
  /** `Upstash-Deduplication-Id`, or a digest of destination and body for content-based deduplication. */
  deduplicationKey?: string;
  deduplicationId?: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads `Upstash-Delay` / `Upstash-Timeout`. The SDK sends a number as whole seconds
 * (`"10s"`) and a string as given (its type allows `s`, `m`, `h`, `d`); Go-style
 * compounds (`1h30m`) and `ms` are accepted too, and a bare number means seconds.
 */
export function parseDuration(value: string, header: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) {
    throw new BadRequest(`${header}: "${value}" is not a duration like 10s, 5m, 1h30m or 2d`);
  }
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  }
  return Math.round(total);
}

function parseCount(value: string, header: string): number {
  if (!/^\d+$/.test(value.trim())) throw new BadRequest(`${header}: "${value}" is not a whole number`);
  return Number(value);
}

/**
 * The destination from what follows `/v2/publish/`. The SDK joins the raw URL onto the
 * path (`…/v2/publish/https://host/p?q=1`), so its query string arrives as the publish
 * request's query; other clients percent-encode the whole URL. A proxy may have folded
 * `//` into `/`.
 */
export function parseDestination(raw: string): string {
  let text = raw;
  if (/^https?%3A/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw new BadRequest(`destination "${raw}" is not valid percent-encoding`);
    }
  }
  text = text.replace(/^(https?):\/(?!\/)/i, '$1://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadRequest(`destination "${raw}" is not a URL (only URL destinations are supported)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadRequest(`destination "${raw}" must be http or https`);
  }
  // Kept as sent, not normalised: the Receiver compares the signed `sub` with the URL the app names.
  return text;
}

/** Reads a publish from its headers (lower- or mixed-case) and raw body. */
export async function readPublish(destination: string, headers: Headers, body: Uint8Array): Promise<PublishRequest> {
  const forwardHeaders: Record<string, string> = {};
  const upstashHeaders: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (!name.startsWith('upstash-')) continue;
    upstashHeaders[name] = value;
    if (name.startsWith('upstash-forward-')) forwardHeaders[name.slice('upstash-forward-'.length)] = value;
  }

  const method = (headers.get('upstash-method') ?? 'POST').toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    throw new BadRequest(`Upstash-Method: "${method}" is not one of ${HTTP_METHODS.join(', ')}`);
  }

  const now = Date.now();
  let notBefore = now;
  const notBeforeHeader = headers.get('upstash-not-before');
  const delayHeader = headers.get('upstash-delay');
  // As in QStash, an absolute Not-Before wins over a relative delay.
  if (notBeforeHeader) notBefore = parseCount(notBeforeHeader, 'Upstash-Not-Before') * 1_000;
  else if (delayHeader) notBefore = now + parseDuration(delayHeader, 'Upstash-Delay');

  const retriesHeader = headers.get('upstash-retries');
  const timeoutHeader = headers.get('upstash-timeout');
  const deduplicationId = headers.get('upstash-deduplication-id') ?? undefined;
  let deduplicationKey = deduplicationId === undefined ? undefined : `id:${deduplicationId}`;
  if (!deduplicationKey && headers.get('upstash-content-based-deduplication') === 'true') {
    const prefix = new TextEncoder().encode(`${destination}\n`);
    const input = new Uint8Array(prefix.length + body.length);
    input.set(prefix);
    input.set(body, prefix.length);
    const digest = await sha256(input);
    deduplicationKey = `content:${base64url(digest)}`;
  }

  return {
    destination,
    method: method as HttpMethod,
    body,
    contentType: headers.get('content-type') ?? undefined,
    forwardHeaders,
    upstashHeaders,
    receivedAt: now,
    notBefore,
    retries: retriesHeader ? parseCount(retriesHeader, 'Upstash-Retries') : undefined,
    timeoutMs: timeoutHeader ? parseDuration(timeoutHeader, 'Upstash-Timeout') : undefined,
    deduplicationKey,
    deduplicationId,
  };
}

export interface SignOptions {
  signingKey: string;
  /** The destination URL: the `sub` claim, which the Receiver compares with the `url` it is given. */
  url: string;
  body: Uint8Array | string;
  /** Signing time in ms since the epoch; a past value makes an expired token for tests. */
  now?: number;
  /** Lifetime of the token; QStash's is 5 minutes. */
  ttlSeconds?: number;
}

/**
 * The `Upstash-Signature` JWT: HS256 over the signing key's UTF-8 bytes, claims `iss`
 * "Upstash", `sub`, `exp`, `nbf`, `iat`, `jti` and `body` = base64url(SHA-256(body)).
 * The body hash keeps its `=` padding; the Receiver strips padding on both sides before
 * comparing, so padded and unpadded both verify.
 */
export async function signQStashJwt(options: SignOptions): Promise<string> {
  const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
  const iat = Math.floor((options.now ?? Date.now()) / 1_000);
  const claims = {
    iss: 'Upstash',
    sub: options.url,
    exp: iat + (options.ttlSeconds ?? 300),
    nbf: iat,
    iat,
    jti: randomId('jwt_'),
    body: base64url(await sha256(body), { pad: true }),
  };
  const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(options.signingKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url(new Uint8Array(mac))}`;
}

/** A random id with a QStash-like prefix (`msg_…`, `sig_…`). */
export function randomId(prefix: string): string {
  return prefix + base64url(crypto.getRandomValues(new Uint8Array(18)));
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function base64url(bytes: Uint8Array, { pad = false } = {}): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const text = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_');
  return pad ? text : text.replace(/=+$/, '');
}
