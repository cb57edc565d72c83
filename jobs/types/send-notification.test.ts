import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type JobRow, jobs, webhooks } from '../../db/schema.ts';
import { closedPort, type Endpoint, startWebhookReceiver, type WebhookReceiver } from '../../dev/webhook-receiver.ts';
import { backend, unique, useTestApp } from '../../test/support/harness.ts';
import { createDispatcher } from '../dispatcher.ts';
import { jobDefinition } from '../registry.ts';
import type { DefinitionLookup } from '../runner.ts';
import { verifyWebhook } from '../webhook-signature.ts';
import { sendNotificationJob } from './send-notification.ts';

describe.skipIf(backend.skip)(`send-notification: signed webhook delivery [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });
  let receiver: WebhookReceiver;
  const subscribed: string[] = [];
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // Retries wait a minute: each test makes them due itself, so nothing runs behind its back.
    t.deps.config.jobs.backoffBaseMs = 60_000;
  });
  afterAll(() => receiver?.close());
  afterEach(async () => {
    // Leave nothing deliverable behind for later files on this database.
    if (!subscribed.length) return;
    const mine = inArray(sql`${jobs.payload}->>'webhookId'`, subscribed);
    await t.handle.db
      .update(jobs)
      .set({ status: 'cancelled' })
      .where(and(mine, inArray(jobs.status, ['queued', 'failed'])));
    await t.handle.db.delete(webhooks).where(inArray(webhooks.id, subscribed.splice(0)));
  });

  const subscribe = async (endpoint: Endpoint, events = ['item.created']) => {
    const res = await t.request('/api/v1/webhooks', { method: 'POST', json: { url: endpoint.url, events } });
    const webhook = await res.json();
    endpoint.secret = webhook.secret;
    subscribed.push(webhook.id);
    return webhook as { id: string; secret: string };
  };
  /** Creates an item and returns it with the one delivery job its creation queued. */
  const createItem = async () => {
    const requestId = unique('req');
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: unique('item') },
      headers: { 'x-request-id': requestId },
    });
    const queued = await t.handle.db.select().from(jobs).where(eq(jobs.requestId, requestId));
    expect(queued).toHaveLength(1);
    return { item: await res.json(), job: queued[0] as JobRow };
  };
  const drain = (definitions?: DefinitionLookup) =>
    createDispatcher(t.deps, {
      concurrency: 4,
      pollIntervalMs: 50,
      leaseMs: 30_000,
      schedule: false,
      definitions,
    }).drain();
  const reload = async (job: JobRow) => (await t.handle.db.select().from(jobs).where(eq(jobs.id, job.id)))[0] as JobRow;
  /** Makes a failed job due now, as if its backoff had passed. */
  const makeDue = (job: JobRow) => t.handle.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, job.id));

  it('Should POST the event signed, with the job id as webhook-id, and record the status', async () => {
    const endpoint = receiver.endpoint();
    await subscribe(endpoint);
    const { item, job } = await createItem();
    await drain();
    expect(endpoint.deliveries).toHaveLength(1);
    const [delivery] = endpoint.deliveries;
    expect(delivery?.verified).toBe(true);
    expect(delivery?.headers).toMatchObject({
      'webhook-id': job.id,
      'content-type': 'application/json',
      'user-agent': `Edgeplane-Webhooks/${t.deps.config.version}`,
    });
    const event = await verifyWebhook(endpoint.secret, delivery?.headers ?? {}, delivery?.body ?? '');
    expect(event).toMatchObject({ type: 'item.created', timestamp: job.createdAt.toISOString() });
    // The event carries the item exactly as the API represents it.
    expect((event as { data: unknown }).data).toEqual(item);
    const done = await reload(job);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, maxAttempts: 8, lastError: null });
    expect(done.result).toEqual({ status: 200, durationMs: expect.any(Number) });
  });

  it('Should retry on 500 and succeed on the third attempt with the same id and body', async () => {
    const endpoint = receiver.endpoint({ statuses: [500, 500], otherwise: 200 });
    await subscribe(endpoint);
    const { job } = await createItem();
    for (const attempt of [1, 2]) {
      await drain();
      const state = await reload(job);
      expect(state).toMatchObject({ status: 'failed', attempts: attempt });
      expect(state.lastError).toContain('answered HTTP 500');
      expect(state.runAt.getTime()).toBeGreaterThan(Date.now() + 10_000);
      expect(await drain()).toBe(0); // backoff holds it
      await makeDue(job);
    }
    await drain();
    expect(await reload(job)).toMatchObject({ status: 'succeeded', attempts: 3, result: { status: 200 } });
    expect(endpoint.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    expect(endpoint.deliveries.every((d) => d.verified)).toBe(true);
    expect(new Set(endpoint.deliveries.map((d) => d.headers['webhook-id']))).toEqual(new Set([job.id]));
    expect(new Set(endpoint.deliveries.map((d) => d.body)).size).toBe(1);
  });

  it('Should mark the job dead after 8 attempts when the receiver always fails', async () => {
    const endpoint = receiver.endpoint({ otherwise: 500 });
    await subscribe(endpoint);
    const { job } = await createItem();
    for (let attempt = 1; attempt <= 8; attempt++) {
      await drain();
      await makeDue(job);
    }
    const state = await reload(job);
    expect(state).toMatchObject({ status: 'dead', attempts: 8 });
    expect(state.lastError).toContain('answered HTTP 500');
    expect(state.finishedAt).toBeInstanceOf(Date);
    expect(endpoint.deliveries).toHaveLength(8);
    await drain();
    expect(endpoint.deliveries).toHaveLength(8);
  });

  it('Should retry a 4xx answer too, as Standard Webhooks senders do', async () => {
    const endpoint = receiver.endpoint({ statuses: [400], otherwise: 204 });
    await subscribe(endpoint);
    const { job } = await createItem();
    await drain();
    expect(await reload(job)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('400'),
    });
    await makeDue(job);
    await drain();
    expect(await reload(job)).toMatchObject({ status: 'succeeded', attempts: 2, result: { status: 204 } });
  });

  it('Should fail the attempt when the receiver is unreachable or too slow', async () => {
    const closed = receiver.endpoint();
    closed.url = `http://127.0.0.1:${await closedPort()}/unreachable`;
    const unreachable = await subscribe(closed);
    const { job } = await createItem();
    await drain();
    expect(await reload(job)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('could not reach'),
    });
    await t.request(`/api/v1/webhooks/${unreachable.id}`, { method: 'PATCH', json: { active: false } });

    const slow = receiver.endpoint({ delayMs: 2_000 });
    await subscribe(slow);
    const { job: slowJob } = await createItem();
    const fast: DefinitionLookup = (type) =>
      type === 'send-notification' ? sendNotificationJob({ timeoutMs: 200 }) : jobDefinition(type);
    await drain(fast);
    expect(await reload(slowJob)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('did not answer within 200 ms'),
    });
  });

  it('Should mark a delivery to a deleted or deactivated webhook dead at once, sending nothing', async () => {
    const endpoint = receiver.endpoint();
    const deleted = await subscribe(endpoint);
    const { job } = await createItem();
    expect((await t.request(`/api/v1/webhooks/${deleted.id}`, { method: 'DELETE' })).status).toBe(204);
    await drain();
    expect(await reload(job)).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await reload(job)).lastError).toContain('no longer exists');

    const paused = await subscribe(endpoint);
    const { job: pausedJob } = await createItem();
    await t.request(`/api/v1/webhooks/${paused.id}`, { method: 'PATCH', json: { active: false } });
    await drain();
    expect(await reload(pausedJob)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: expect.stringContaining('inactive'),
    });
    expect(endpoint.deliveries).toHaveLength(0);
  });

  it('Should sign a queued delivery with the secret current when it is sent', async () => {
    const endpoint = receiver.endpoint();
    const webhook = await subscribe(endpoint);
    await createItem();
    const rotated = await (await t.request(`/api/v1/webhooks/${webhook.id}/rotate-secret`, { method: 'POST' })).json();
    endpoint.secret = rotated.secret;
    await drain();
    expect(endpoint.deliveries.map((d) => d.verified)).toEqual([true]);
  });
});
