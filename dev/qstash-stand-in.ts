/**
 * A local stand-in for QStash (publish and signed delivery), for development and tests only.
 *
 * It speaks what `@upstash/qstash` 2.12 sends (`POST /v2/publish/<destination>` and
 * `POST /v2/batch`, options as `Upstash-*` headers, a bearer token) and delivers each
 * message like QStash: at its scheduled time, with an `Upstash-Signature` JWT the SDK's
 * `Receiver` verifies, retrying non-2xx answers until its retries run out. So the real
 * `Client` and `Receiver` run end to end offline. Messages live in memory; there are no
 * queues, schedules, URL groups, callbacks or flow control. It is never the production path.
 *
 *   tsx dev/qstash-stand-in.ts
 *     PORT                        port on 127.0.0.1 (default 8080, as QStash's own dev server; 0 picks one)
 *     QSTASH_TOKEN                the bearer token publishers must send (else a random one)
 *     QSTASH_CURRENT_SIGNING_KEY  signs deliveries (else a random sig_… key)
 *     QSTASH_NEXT_SIGNING_KEY     the rotation key (else a random sig_… key)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocal, readBoundedBody } from './local-server.ts';
import { createDelivery, type MessageRecord } from './qstash-delivery.ts';
import { BadRequest, type PublishRequest, parseDestination, randomId, readPublish } from './qstash-protocol.ts';
import { runAsCli } from './run-cli.ts';

export type { DeliveryAttempt, MessageRecord, MessageState } from './qstash-delivery.ts';

export interface QStashStandInOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The bearer token every publish must carry (401 otherwise); random by default. */
  token?: string;
  /** Random `sig_…` keys by default. */
  currentSigningKey?: string;
  nextSigningKey?: string;
  /** Which key signs deliveries; `next` checks that receivers accept a key rotation. */
  signWith?: 'current' | 'next';
  /** Wait before retry number `retried + 1`; default 100 ms · 2^retried, at most 2 s, so tests stay fast. */
  retryDelayMs?: (retried: number) => number;
  /** Retries after the first attempt when a publish sends no `Upstash-Retries` (QStash's default: 3). */
  defaultRetries?: number;
  /** How long a deduplication id (or content digest) suppresses repeats; 10 minutes, as QStash. */
  deduplicationWindowMs?: number;
  /** Receives one line per publish, attempt and failed request; silent by default. */
  log?: (line: string) => void;
}

export interface QStashStandIn {
  /** The base URL for `new Client({ baseUrl: url, token })`, and QSTASH_URL. */
  url: string;
  port: number;
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  /** Snapshots of every message accepted so far, in publish order. */
  messages(): MessageRecord[];
  /** Resolves with the first message matching, or with the message of that id once DELIVERED or FAILED. */
  waitFor(match: string | ((message: MessageRecord) => boolean), timeoutMs?: number): Promise<MessageRecord>;
  /** Resolves when no message is scheduled, being delivered or waiting for a retry. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Starts the stand-in on 127.0.0.1. */
export async function startQStashStandIn(options: QStashStandInOptions = {}): Promise<QStashStandIn> {
  const token = options.token ?? randomId('qstash_');
  const currentSigningKey = options.currentSigningKey ?? randomId('sig_');
  const nextSigningKey = options.nextSigningKey ?? randomId('sig_');
  const log = options.log ?? (() => {});
  const delivery = createDelivery({
    signingKey: options.signWith === 'next' ? nextSigningKey : currentSigningKey,
    signedWith: options.signWith ?? 'current',
    retryDelayMs: options.retryDelayMs ?? ((retried) => Math.min(2_000, 100 * 2 ** retried)),
    defaultRetries: options.defaultRetries ?? 3,
    deduplicationWindowMs: options.deduplicationWindowMs ?? 10 * 60_000,
    log,
  });

  const server = await listenLocal({
    name: 'qstash stand-in',
    port: options.port,
    log,
    handle,
    fail: (res) => reply(res, 500, { error: 'internal error' }),
  });
  const { port } = server;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The raw request target, not a parsed URL: the destination's own `//` and query live in it.
    const target = req.url ?? '/';
    const path = target.split('?')[0] as string;
    if (req.method === 'GET' && path === '/health') return reply(res, 200, { status: 'ok' });
    const isPublish = path.startsWith('/v2/publish/');
    if (!isPublish && path !== '/v2/batch') {
      return reply(res, 404, { error: 'not found: this stand-in serves POST /v2/publish/<url> and POST /v2/batch' });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return reply(res, 401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'method not allowed: use POST' });

    try {
      const body = await readBody(req);
      if (isPublish) {
        const destination = parseDestination(target.slice('/v2/publish/'.length));
        return reply(res, 200, delivery.enqueue(await readPublish(destination, toHeaders(req.headers), body)));
      }
      const publishes = await readBatch(body);
      return reply(
        res,
        200,
        publishes.map((publish) => delivery.enqueue(publish)),
      );
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      return reply(res, error.status, { error: error.message });
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    currentSigningKey,
    nextSigningKey,
    messages: delivery.messages,
    waitFor: delivery.waitFor,
    idle: delivery.idle,
    async close() {
      delivery.close();
      await server.close();
    },
  };
}

/** `POST /v2/batch`: a JSON array of `{ destination, headers, body }`, all accepted or none. */
async function readBatch(raw: Uint8Array): Promise<PublishRequest[]> {
  let items: unknown;
  try {
    items = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new BadRequest('batch body is not JSON');
  }
  if (!Array.isArray(items)) throw new BadRequest('batch body must be a JSON array of messages');
  const publishes: PublishRequest[] = [];
  for (const item of items as { destination?: unknown; headers?: unknown; body?: unknown }[]) {
    if (typeof item?.destination !== 'string') throw new BadRequest('each batch message needs a destination');
    const headers = new Headers();
    for (const [name, value] of Object.entries((item.headers ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const body = typeof item.body === 'string' ? new TextEncoder().encode(item.body) : new Uint8Array();
    publishes.push(await readPublish(parseDestination(item.destination), headers, body));
  }
  return publishes;
}

function toHeaders(raw: IncomingMessage['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const tooLarge = () => new BadRequest(`body larger than ${MAX_BODY_BYTES} bytes`, 413);
  return new Uint8Array(await readBoundedBody(req, MAX_BODY_BYTES, tooLarge));
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function main() {
  const env = process.env;
  const standIn = await startQStashStandIn({
    port: env.PORT ? Number(env.PORT) : 8080,
    token: env.QSTASH_TOKEN || undefined,
    currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY || undefined,
    nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY || undefined,
    log: (line) => console.error(line),
  });
  console.log(`QStash stand-in (dev/test only) listening on ${standIn.url}`);
  console.log('  give the app these settings (and JOBS_DELIVERY=qstash, PUBLIC_URL reachable from here):');
  console.log(`  QSTASH_URL=${standIn.url}`);
  console.log(`  QSTASH_TOKEN=${standIn.token}`);
  console.log(`  QSTASH_CURRENT_SIGNING_KEY=${standIn.currentSigningKey}`);
  console.log(`  QSTASH_NEXT_SIGNING_KEY=${standIn.nextSigningKey}`);
  return standIn;
}

runAsCli(import.meta.url, 'qstash stand-in', main);
