import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { parseConfig } from '../core/config.ts';
import { instrumentDeps } from '../core/observability/scope.ts';
import { createTelemetry, type Telemetry } from '../core/observability/telemetry.ts';
import { memorySpanExporter } from '../core/observability/tracer.ts';
import { qstashQueue } from '../core/queue/qstash.ts';
import { getJob } from '../db/queries/jobs.ts';
import { type QStashStandIn, startQStashStandIn } from '../dev/qstash-stand-in.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../dev/webhook-receiver.ts';
import { backend, TEST_JWT_KEYS, useTestApp } from '../test/support/harness.ts';

const exporter = memorySpanExporter();
const CALLER_SPAN = 'b7ad6b7169203331';

/**
 * One trace from a request through QStash into the job it caused, and on into the
 * webhook the job calls: the real SDK publishes to the QStash stand-in, which
 * delivers signed requests back over HTTP with the forwarded `traceparent`.
 */
describe.skipIf(backend.skip)(`trace propagation through QStash and webhooks [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });
  let qstash: QStashStandIn;
  let receiver: WebhookReceiver;
  let server: ReturnType<typeof serve>;
  let app: ReturnType<typeof createApp>;
  let telemetry: Telemetry;

  beforeAll(async () => {
    qstash = await startQStashStandIn({ retryDelayMs: () => 50 });
    receiver = await startWebhookReceiver();
    let listening: (port: number) => void;
    const port = new Promise<number>((resolve) => {
      listening = resolve;
    });
    server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: '127.0.0.1' }, (info) =>
      listening((info as AddressInfo).port),
    );
    const config = parseConfig({
      APP_ENV: 'test',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: `http://127.0.0.1:${await port}`,
      QSTASH_URL: qstash.url,
      QSTASH_TOKEN: qstash.token,
      QSTASH_CURRENT_SIGNING_KEY: qstash.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: qstash.nextSigningKey,
      JWT_SIGNING_KEYS: TEST_JWT_KEYS,
      RATE_LIMIT_ENABLED: 'false',
    });
    telemetry = createTelemetry(config, {
      metricsMode: 'scrape',
      logger: t.deps.logger,
      runtime: 'node',
      spanExporter: exporter,
    });
    const queue = qstashQueue({ db: t.deps.db, config, logger: t.deps.logger });
    app = createApp(instrumentDeps({ ...t.deps, config, queue, telemetry }));
  });
  afterAll(async () => {
    await qstash?.close();
    await receiver?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const post = (path: string, json: unknown, traceparent: string) =>
    app.request(path, {
      method: 'POST',
      body: JSON.stringify(json),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.credentials.admin}`, traceparent },
    });
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 400; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const newTrace = () => crypto.randomUUID().replaceAll('-', '');

  it('Should forward the traceparent with the QStash delivery, so the job run joins the trace', async () => {
    const traceId = newTrace();
    const res = await post('/api/v1/jobs', { type: 'cleanup' }, `00-${traceId}-${CALLER_SPAN}-01`);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor('the job to succeed', async () =>
      (await getJob(t.deps.db, id))?.status === 'succeeded' ? true : undefined,
    );
    const spans = await waitFor('the job and delivery spans', async () => {
      await telemetry.tracer?.flush();
      const found = exporter.spans.filter((s) => s.traceId === traceId);
      // The delivery request's span ends after the job's, once QStash has its answer.
      const names = new Set(found.map((s) => s.name));
      return names.has('job cleanup') && names.has('POST /api/v1/jobs/deliver') ? found : undefined;
    });
    const enqueue = spans.find((s) => s.name === 'POST /api/v1/jobs');
    const delivery = spans.find((s) => s.name === 'POST /api/v1/jobs/deliver');
    const run = spans.find((s) => s.name === 'job cleanup');
    expect(enqueue?.parentSpanId).toBe(CALLER_SPAN);
    expect(delivery?.parentSpanId).toBe(enqueue?.spanId);
    expect(run?.parentSpanId).toBe(delivery?.spanId);
  });

  it('Should send the job span as traceparent with a webhook delivery', async () => {
    const endpoint = receiver.endpoint();
    const traceId = newTrace();
    const header = `00-${traceId}-${CALLER_SPAN}-01`;
    const hook = await post('/api/v1/webhooks', { url: endpoint.url, events: ['item.created'] }, header);
    endpoint.secret = ((await hook.json()) as { secret: string }).secret;
    await post('/api/v1/items', { title: `traced ${traceId}` }, header);
    const delivery = await waitFor('the webhook delivery', async () => endpoint.deliveries[0]);
    expect(delivery.verified).toBe(true);
    const sent = String(delivery.headers.traceparent);
    expect(sent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // The job's span ends after its webhook call's span: wait for both.
    const spans = await waitFor('the job and client spans', async () => {
      await telemetry.tracer?.flush();
      const found = exporter.spans.filter((s) => s.traceId === traceId);
      const ended = found.some((s) => s.kind === 'client' && s.name === 'POST');
      return ended && found.some((s) => s.name === 'job send-notification') ? found : undefined;
    });
    const client = spans.find((s) => s.kind === 'client' && s.name === 'POST');
    const run = spans.find((s) => s.name === 'job send-notification');
    expect(sent.split('-')[2]).toBe(client?.spanId);
    expect(client?.parentSpanId).toBe(run?.spanId);
  });
});
