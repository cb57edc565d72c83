/**
 * Standard Webhooks signing (https://www.standardwebhooks.com) with Web Crypto only,
 * so it runs on Node and on workerd alike. Receivers can use `verifyWebhook` or any
 * Standard Webhooks library: the signature is HMAC-SHA256 over `id.timestamp.body`.
 */

import { constantTimeEqual, fromBase64, toBase64 } from '../core/encoding.ts';

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

/** A new signing secret: `whsec_` and 24 random bytes in base64, as Standard Webhooks recommends. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

async function hmac(secret: string, id: string, timestamp: number, body: string): Promise<Uint8Array> {
  const raw = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  let keyBytes: Uint8Array<ArrayBuffer>;
  try {
    keyBytes = fromBase64(raw);
  } catch {
    throw new TypeError('The webhook secret is not base64 (after its whsec_ prefix).');
  }
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`)));
}

/** The `v1,<base64>` signature of one message. */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  return `v1,${toBase64(await hmac(secret, id, timestamp, body))}`;
}

/** The three Standard Webhooks headers for a message sent at `now`. */
export async function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now: Date = new Date(),
): Promise<Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signWebhook(secret, id, timestamp, body),
  };
}

/** Why a delivery was rejected; the message is safe to log. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** Request headers as `Headers` or a plain record (e.g. node:http's `IncomingHttpHeaders`). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifyOptions {
  /** How far `webhook-timestamp` may be from now, either way (default 300 s): limits replays. */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Checks a received webhook: its timestamp is recent and one of its `v1` signatures
 * (senders list several while rotating secrets) matches the raw body. Returns the
 * parsed JSON body; throws `WebhookVerificationError` otherwise.
 */
export async function verifyWebhook(
  secret: string,
  headers: HeaderSource,
  body: string,
  options: VerifyOptions = {},
): Promise<unknown> {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) throw new WebhookVerificationError('missing webhook-* headers');
  const timestamp = Number(timestampText);
  if (!/^\d+$/.test(timestampText) || !Number.isSafeInteger(timestamp)) {
    throw new WebhookVerificationError('webhook-timestamp is not unix seconds');
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('webhook-timestamp is outside the tolerance');
  }
  const expected = await hmac(secret, id, timestamp, body);
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) continue;
    let candidate: Uint8Array;
    try {
      candidate = fromBase64(signature);
    } catch {
      continue;
    }
    if (constantTimeEqual(candidate, expected)) return parseJson(body);
  }
  throw new WebhookVerificationError('no matching signature');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
}
