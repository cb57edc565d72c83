import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { qstashQueue } from '../../../core/queue/qstash.ts';
import { enqueueJob, getJob } from '../../../db/queries/jobs.ts';
import { jobs } from '../../../db/schema.ts';
import { signQStashJwt } from '../../../dev/qstash-protocol.ts';
import { type QStashStandIn, startQStashStandIn } from '../../../dev/qstash-stand-in.ts';
import { type Endpoint, startWebhookReceiver, type WebhookReceiver } from '../../../dev/webhook-receiver.ts';
import { backend, TEST_JWT_KEYS, useTestApp } from '../../../test/support/harness.ts';
import { createApp } from '../../app.ts';

const SYSTEM = { actorType: 'system', actorId: 'test', requestId: null } as const;

/**
 * The QStash path on Node, end to end: the app publishes through the real SDK to the
 * local QStash stand-in, which delivers signed requests back to the app over HTTP,
 * where the real Receiver verifies them and the job runs.
 */
describe.skipIf(backend.skip)(`QStash delivery [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });
  let qstash: QStashStandIn;
  let server: ReturnType<typeof serve>;
  let deliveryUrl = '';
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    qstash = await startQStashStandIn({ retryDelayMs: () => 50 });
    // Listen first: the public URL (which QStash signs) must name the real port.
    let listening: (port: number) => void;
    const port = new Promise<number>((resolve) => {
      listening = resolve;
    });
    server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' }, (info) =>
      listening((info as AddressInfo).port),
    );
    const publicUrl = `http://127.0.0.1:${await port}`;
    deliveryUrl = `${publicUrl}/api/v1/jobs/deliver`;
    const config = parseConfig({
      APP_ENV: 'test',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: publicUrl,
      QSTASH_URL: qstash.url,
      QSTASH_TOKEN: qstash.token,
      QSTASH_CURRENT_SIGNING_KEY: qstash.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: qstash.nextSigningKey,
      JWT_SIGNING_KEYS: TEST_JWT_KEYS,
    });
    const deps = { ...t.deps, config, queue: qstashQueue({ db: t.deps.db, config, logger: t.deps.logger }) };
    app = createApp(deps);
  });
  afterAll(async () => {
    await qstash?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      body: typeof json === 'string' ? json : JSON.stringify(json),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.credentials.admin}`, ...headers },
    });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver?.close());
  const subscribe = async (endpoint: Endpoint) => {
    const res = await post('/api/v1/webhooks', { url: endpoint.url, events: ['item.created'] });
    const webhook = (await res.json()) as { id: string; secret: string };
    endpoint.secret = webhook.secret;
    return webhook.id;
  };
  const createItem = async () => {
    const res = await post('/api/v1/items', { title: `notify ${crypto.randomUUID()}` });
    return ((await res.json()) as { id: string }).id;
  };
  /** The delivery job of one item's event to one webhook (earlier tests' webhooks get their own). */
  const notificationFor = async (webhookId: string, itemId: string) => {
    const [job] = await t.deps.db
      .select()
      .from(jobs)
      .where(
        sql`${jobs.type} = 'send-notification' and ${jobs.payload}->>'webhookId' = ${webhookId}
            and ${jobs.payload}->'data'->>'id' = ${itemId}`,
      );
    if (!job) throw new Error(`no notification job for item ${itemId}`);
    return job;
  };
  /** The QStash message of a job, once QStash has nothing left to do. */
  const settledMessage = async (jobId: string) => {
    await qstash.waitFor((m) => m.body === JSON.stringify({ jobId }));
    await qstash.idle();
    const message = qstash.messages().find((m) => m.body === JSON.stringify({ jobId }));
    if (!message) throw new Error(`no QStash message for job ${jobId}`);
    return message;
  };
  const queuedCleanup = async () =>
    (await enqueueJob(t.deps.db, { type: 'cleanup', payload: {}, maxAttempts: 3 }, SYSTEM)).job;
  const waitForStatus = async (id: string, status: string) => {
    for (let i = 0; i < 200; i++) {
      const job = await getJob(t.deps.db, id);
      if (job?.status === status) return job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`job ${id} never became ${status}: ${JSON.stringify(await getJob(t.deps.db, id))}`);
  };

  it('Should publish an enqueued job to QStash and run it when QStash delivers it', async () => {
    const res = await post('/api/v1/jobs', { type: 'cleanup' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const published = await qstash.waitFor((m) => m.body === JSON.stringify({ jobId: id }));
    const message = await qstash.waitFor(published.messageId);
    expect(message.state).toBe('DELIVERED');
    expect(message.destination).toBe(deliveryUrl);
    expect(message.attempts.map((a) => a.status)).toEqual([200]);
    const done = await waitForStatus(id, 'succeeded');
    expect(done.attempts).toBe(1);
    expect(done.publishedAt).toBeInstanceOf(Date);
  });

  it('Should acknowledge a duplicate delivery of a finished job without running it again', async () => {
    const job = await queuedCleanup();
    const body = JSON.stringify({ jobId: job.id });
    const sign = () => signQStashJwt({ signingKey: qstash.currentSigningKey, url: deliveryUrl, body });
    const first = await post('/api/v1/jobs/deliver', body, { 'upstash-signature': await sign() });
    expect(await first.json()).toEqual({ jobId: job.id, outcome: 'succeeded' });
    const again = await post('/api/v1/jobs/deliver', body, { 'upstash-signature': await sign() });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ jobId: job.id, outcome: 'already-finished' });
    expect((await getJob(t.deps.db, job.id))?.attempts).toBe(1);
  });

  it('Should accept a delivery signed with the next signing key', async () => {
    const job = await queuedCleanup();
    const body = JSON.stringify({ jobId: job.id });
    const signature = await signQStashJwt({ signingKey: qstash.nextSigningKey, url: deliveryUrl, body });
    expect((await post('/api/v1/jobs/deliver', body, { 'upstash-signature': signature })).status).toBe(200);
  });

  it.each([
    ['no signature', async (_body: string) => undefined],
    [
      'a tampered body',
      async (body: string) =>
        signQStashJwt({ signingKey: qstash.currentSigningKey, url: deliveryUrl, body: `${body} ` }),
    ],
    ['a wrong key', async (body: string) => signQStashJwt({ signingKey: 'sig_not_ours', url: deliveryUrl, body })],
    [
      'another URL',
      async (body: string) =>
        signQStashJwt({ signingKey: qstash.currentSigningKey, url: 'http://evil.test/api/v1/jobs/deliver', body }),
    ],
    [
      'an expired signature',
      async (body: string) =>
        signQStashJwt({ signingKey: qstash.currentSigningKey, url: deliveryUrl, body, now: Date.now() - 3_600_000 }),
    ],
  ])('Should answer 401 for %s and run nothing', async (_case, makeSignature) => {
    const job = await queuedCleanup();
    const body = JSON.stringify({ jobId: job.id });
    const signature = await makeSignature(body);
    const res = await post('/api/v1/jobs/deliver', body, signature ? { 'upstash-signature': signature } : {});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await getJob(t.deps.db, job.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('Should fail the delivery of a failing attempt so QStash retries it, until the job succeeds', async () => {
    const endpoint = receiver.endpoint({ statuses: [500, 500], otherwise: 200 });
    const webhookId = await subscribe(endpoint);
    const job = await notificationFor(webhookId, await createItem());
    const message = await settledMessage(job.id);
    // QStash saw two failed deliveries (500 from us, because the receiver failed), then success.
    expect(message.attempts.map((a) => [a.retried, a.status])).toEqual([
      [0, 500],
      [1, 500],
      [2, 200],
    ]);
    expect(endpoint.deliveries.map((d) => d.headers['webhook-id'])).toEqual([job.id, job.id, job.id]);
    expect(await getJob(t.deps.db, job.id)).toMatchObject({ status: 'succeeded', attempts: 3 });
  });

  it('Should mark the job dead and acknowledge when QStash delivers its last attempt', async () => {
    const endpoint = receiver.endpoint({ otherwise: 503 });
    const webhookId = await subscribe(endpoint);
    const job = await notificationFor(webhookId, await createItem());
    const message = await settledMessage(job.id);
    const statuses = message.attempts.map((a) => a.status);
    expect(statuses).toHaveLength(job.maxAttempts);
    expect(statuses.slice(0, -1).every((s) => s === 500)).toBe(true);
    expect(statuses.at(-1)).toBe(200); // the dead job is acknowledged so QStash stops
    expect(await getJob(t.deps.db, job.id)).toMatchObject({ status: 'dead', attempts: job.maxAttempts });
    expect(endpoint.deliveries).toHaveLength(job.maxAttempts);
  });

  it('Should acknowledge a permanently failing job as dead so QStash stops retrying', async () => {
    const job = await queuedCleanup();
    await t.deps.db.update(jobs).set({ payload: sql`'{"unexpected": true}'::jsonb` }).where(eq(jobs.id, job.id));
    const body = JSON.stringify({ jobId: job.id });
    const signature = await signQStashJwt({ signingKey: qstash.currentSigningKey, url: deliveryUrl, body });
    const res = await post('/api/v1/jobs/deliver', body, { 'upstash-signature': signature });
    // An invalid payload is a permanent failure: dead at once, acknowledged so QStash stops.
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jobId: job.id, outcome: 'dead' });
    expect((await getJob(t.deps.db, job.id))?.lastError).toContain('invalid payload');
  });
});

/** A QStash that accepts connections and never answers: requests that enqueue must not wait for it. */
describe.skipIf(backend.skip)(`QStash that stops answering [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });
  const silent = createServer(() => {});
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const config = parseConfig({
      APP_ENV: 'test',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'http://127.0.0.1:9',
      QSTASH_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      QSTASH_TOKEN: 'unused-token',
      QSTASH_CURRENT_SIGNING_KEY: 'unused-current',
      QSTASH_NEXT_SIGNING_KEY: 'unused-next',
      JWT_SIGNING_KEYS: TEST_JWT_KEYS,
    });
    app = createApp({ ...t.deps, config, queue: qstashQueue({ db: t.deps.db, config, logger: t.deps.logger }) });
  });
  afterAll(() => {
    silent.closeAllConnections();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('Should accept the job, leave it queued for the relay and answer without waiting for QStash', {
    timeout: 15_000,
  }, async () => {
    const res = await app.request('/api/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({ type: 'cleanup' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.credentials.admin}` },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const [row] = await t.handle.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({ status: 'queued', publishedAt: null });
  });
});
