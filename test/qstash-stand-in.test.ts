import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, QstashError, Receiver, SignatureError } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signQStashJwt } from '../dev/qstash-protocol.ts';
import { type QStashStandIn, startQStashStandIn } from '../dev/qstash-stand-in.ts';

// The real QStash SDK on both ends: `Client` publishes to the stand-in, which delivers to a
// small node:http receiver that checks every request with the real `Receiver`, as an app would.

interface Received {
  /** Path and query, as the destination URL named them. */
  target: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

interface TestReceiver {
  url: string;
  received: Received[];
  /** Answers per path: the statuses to give in turn (the last repeats); 200 when unset. */
  answers: Map<string, number[]>;
  on(path: string): Received[];
  close(): Promise<void>;
}

async function startReceiver(keys: { currentSigningKey: string; nextSigningKey: string }): Promise<TestReceiver> {
  const receiver = new Receiver(keys);
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // Verified on the raw text before any parsing, against the URL the publisher named.
    const body = Buffer.concat(chunks).toString('utf8');
    const target = req.url ?? '/';
    const verified = await receiver
      .verify({ signature: String(req.headers['upstash-signature']), body, url: `${base}${target}` })
      .catch(() => false);
    received.push({ target, method: req.method ?? '', headers: req.headers, body, verified });
    const path = target.split('?')[0] as string;
    const statuses = answers.get(path) ?? [200];
    const status = statuses.length > 1 ? (statuses.shift() as number) : (statuses[0] as number);
    res.writeHead(verified ? status : 401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    answers,
    on: (path) => received.filter((r) => r.target.split('?')[0] === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('QStash stand-in with the real SDK', () => {
  let standIn: QStashStandIn;
  let target: TestReceiver;
  let client: Client;

  beforeAll(async () => {
    standIn = await startQStashStandIn({ retryDelayMs: () => 10 });
    target = await startReceiver(standIn);
    client = new Client({ baseUrl: standIn.url, token: standIn.token });
  });
  afterAll(async () => {
    await standIn?.close();
    await target?.close();
  });

  it('Should deliver a published JSON message, signed so the real Receiver accepts it', async () => {
    const url = `${target.url}/hooks/welcome?source=test`;
    const published = await client.publishJSON({ url, body: { user: 'ada' }, headers: { 'x-trace': 'trace-1' } });
    expect(published.messageId).toMatch(/^msg_/);

    const message = await standIn.waitFor(published.messageId);
    expect(message).toMatchObject({ state: 'DELIVERED', destination: url, method: 'POST' });
    expect(message.attempts).toMatchObject([{ retried: 0, status: 200, signedWith: 'current' }]);

    const [request] = target.on('/hooks/welcome');
    // The destination's query string reached it, and `sub` covered it.
    expect(request).toMatchObject({ target: '/hooks/welcome?source=test', body: '{"user":"ada"}', verified: true });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-trace': 'trace-1',
      'upstash-message-id': published.messageId,
      'upstash-retried': '0',
    });
    expect(request?.headers['upstash-forward-x-trace']).toBeUndefined();
  });

  it('Should give a signature the Receiver rejects for a tampered body, a wrong key, another URL or after expiry', async () => {
    const url = `${target.url}/hooks/checked`;
    const { messageId } = await client.publishJSON({ url, body: { amount: 10 } });
    await standIn.waitFor(messageId);
    const [request] = target.on('/hooks/checked');
    const signature = String(request?.headers['upstash-signature']);
    const body = '{"amount":10}';
    const receiver = new Receiver(standIn);

    await expect(receiver.verify({ signature, body, url })).resolves.toBe(true);
    await expect(receiver.verify({ signature, body: '{"amount":1000}', url })).rejects.toThrow(SignatureError);
    await expect(receiver.verify({ signature, body, url: `${target.url}/hooks/other` })).rejects.toThrow(/subject/);
    const strangers = new Receiver({ currentSigningKey: 'sig_wrong_current', nextSigningKey: 'sig_wrong_next' });
    await expect(strangers.verify({ signature, body, url })).rejects.toThrow(SignatureError);

    const key = standIn.currentSigningKey;
    const fresh = await signQStashJwt({ signingKey: key, url, body });
    await expect(receiver.verify({ signature: fresh, body, url })).resolves.toBe(true);
    const tenMinutesAgo = Date.now() - 10 * 60_000;
    const expired = await signQStashJwt({ signingKey: key, url, body, now: tenMinutesAgo });
    await expect(receiver.verify({ signature: expired, body, url })).rejects.toThrow(SignatureError);
    // The Receiver reports the next key's failure: only a token under that key shows the expiry itself.
    const expiredNext = await signQStashJwt({ signingKey: standIn.nextSigningKey, url, body, now: tenMinutesAgo });
    await expect(receiver.verify({ signature: expiredNext, body, url })).rejects.toThrow(/"exp" claim/);
  });

  it('Should not deliver before the delay or the not-before time', async () => {
    const notBefore = Math.floor(Date.now() / 1_000) + 1;
    const [delayed, scheduled] = await Promise.all([
      client.publishJSON({ url: `${target.url}/hooks/delayed`, body: {}, delay: 1 }),
      client.publishJSON({ url: `${target.url}/hooks/scheduled`, body: {}, notBefore }),
    ]);
    expect(standIn.messages().find((m) => m.messageId === delayed.messageId)?.state).toBe('CREATED');

    const first = await standIn.waitFor(delayed.messageId);
    expect(first.publishHeaders['upstash-delay']).toBe('1s');
    expect(first.notBefore - first.publishedAt).toBe(1_000);
    expect(first.attempts[0]?.startedAt).toBeGreaterThanOrEqual(first.notBefore);

    const second = await standIn.waitFor(scheduled.messageId);
    expect(second.notBefore).toBe(notBefore * 1_000);
    expect(second.attempts[0]?.startedAt).toBeGreaterThanOrEqual(second.notBefore);
    expect(target.on('/hooks/delayed')).toHaveLength(1);
  });

  it('Should retry a failing destination with Upstash-Retried counting up until it answers 2xx', async () => {
    target.answers.set('/hooks/flaky', [500, 503, 200]);
    const { messageId } = await client.publishJSON({ url: `${target.url}/hooks/flaky`, body: { n: 1 }, retries: 3 });

    const message = await standIn.waitFor(messageId);
    expect(message.state).toBe('DELIVERED');
    expect(message.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    const requests = target.on('/hooks/flaky');
    expect(requests.map((r) => r.headers['upstash-retried'])).toEqual(['0', '1', '2']);
    expect(requests.every((r) => r.verified && r.headers['upstash-message-id'] === messageId)).toBe(true);
  });

  it('Should mark a message FAILED once its retries are exhausted', async () => {
    target.answers.set('/hooks/down', [500]);
    const { messageId } = await client.publishJSON({ url: `${target.url}/hooks/down`, body: {}, retries: 2 });

    const message = await standIn.waitFor(messageId);
    expect(message.state).toBe('FAILED');
    expect(message.attempts.map((a) => [a.retried, a.status])).toEqual([
      [0, 500],
      [1, 500],
      [2, 500],
    ]);
    await standIn.idle();
    expect(target.on('/hooks/down')).toHaveLength(3);
  });

  it('Should retry after a network error and record it', async () => {
    // A port nothing listens on: every attempt is refused.
    const closed = await startReceiver(standIn);
    await closed.close();
    const { messageId } = await client.publishJSON({ url: `${closed.url}/gone`, body: {}, retries: 1 });

    const message = await standIn.waitFor(messageId);
    expect(message.state).toBe('FAILED');
    expect(message.attempts).toHaveLength(2);
    expect(message.attempts.every((a) => a.status === undefined && a.error)).toBe(true);
  });

  it('Should deliver once for a repeated deduplication id, answering with the first message id', async () => {
    const request = { url: `${target.url}/hooks/once`, body: { order: 7 }, deduplicationId: 'order-7' };
    const first = await client.publishJSON(request);
    const second = await client.publishJSON({ ...request, body: { order: 7, again: true } });
    expect(first.deduplicated).toBeUndefined();
    expect(second).toMatchObject({ messageId: first.messageId, deduplicated: true });

    await standIn.idle();
    expect(target.on('/hooks/once')).toHaveLength(1);
    expect(standIn.messages().filter((m) => m.deduplicationId === 'order-7')).toHaveLength(1);
  });

  it('Should deduplicate on content when asked, and only for the same body', async () => {
    const url = `${target.url}/hooks/content`;
    const a = await client.publishJSON({ url, body: { v: 1 }, contentBasedDeduplication: true });
    const b = await client.publishJSON({ url, body: { v: 1 }, contentBasedDeduplication: true });
    const c = await client.publishJSON({ url, body: { v: 2 }, contentBasedDeduplication: true });
    expect(b).toMatchObject({ messageId: a.messageId, deduplicated: true });
    expect(c.messageId).not.toBe(a.messageId);

    await standIn.idle();
    expect(target.on('/hooks/content')).toHaveLength(2);
  });

  it('Should accept a batch and deliver each message', async () => {
    const replies = await client.batchJSON([
      { url: `${target.url}/hooks/batch-a`, body: { a: 1 } },
      { url: `${target.url}/hooks/batch-b`, body: { b: 2 } },
    ]);
    expect(replies).toHaveLength(2);

    await Promise.all(replies.map((reply) => standIn.waitFor(reply.messageId)));
    expect(target.on('/hooks/batch-a')).toMatchObject([{ body: '{"a":1}', verified: true }]);
    expect(target.on('/hooks/batch-b')).toMatchObject([{ body: '{"b":2}', verified: true }]);
  });

  it('Should answer 401 to a publish with the wrong token, and queue nothing', async () => {
    const before = standIn.messages().length;
    const intruder = new Client({ baseUrl: standIn.url, token: 'not-the-token' });
    // The SDK logs every non-2xx before throwing; the throw is what is asserted.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});

    const error = await intruder.publishJSON({ url: `${target.url}/hooks/never`, body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QstashError);
    logged.mockRestore();
    expect((error as QstashError).status).toBe(401);
    expect(standIn.messages()).toHaveLength(before);
  });
});

describe('QStash stand-in signing with the next key', () => {
  let standIn: QStashStandIn;
  let target: TestReceiver;

  beforeAll(async () => {
    standIn = await startQStashStandIn({ signWith: 'next' });
    target = await startReceiver(standIn);
  });
  afterAll(async () => {
    await standIn?.close();
    await target?.close();
  });

  it('Should be accepted by a Receiver holding both keys, and only through the next one', async () => {
    const client = new Client({ baseUrl: standIn.url, token: standIn.token });
    const url = `${target.url}/hooks/rotated`;
    const { messageId } = await client.publishJSON({ url, body: { k: 'next' } });

    const message = await standIn.waitFor(messageId);
    expect(message).toMatchObject({ state: 'DELIVERED', attempts: [{ signedWith: 'next', status: 200 }] });
    const [request] = target.on('/hooks/rotated');
    expect(request?.verified).toBe(true);

    const signature = String(request?.headers['upstash-signature']);
    const body = '{"k":"next"}';
    const onlyNext = new Receiver({ currentSigningKey: 'sig_retired', nextSigningKey: standIn.nextSigningKey });
    await expect(onlyNext.verify({ signature, body, url })).resolves.toBe(true);
    const onlyCurrent = new Receiver({ currentSigningKey: standIn.currentSigningKey, nextSigningKey: 'sig_other' });
    await expect(onlyCurrent.verify({ signature, body, url })).rejects.toThrow(SignatureError);
  });
});
