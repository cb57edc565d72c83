import { env, SELF } from 'cloudflare:test';
import { neon, neonConfig } from '@neondatabase/serverless';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app.ts';
import { parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { instrumentDeps } from '../../core/observability/scope.ts';
import { createTelemetry } from '../../core/observability/telemetry.ts';
import { memorySpanExporter } from '../../core/observability/tracer.ts';
import { unconfiguredQueue } from '../../core/queue/job-queue.ts';
import { openNeonHttp } from '../../db/drivers/neon-http.ts';
import { createMemoryStore } from '../../db/kv/memory.ts';

neonConfig.fetchEndpoint = () => env.NEON_HTTP_ENDPOINT;
const sql = neon(env.DATABASE_URL);
const origin = 'http://edgeplane.test';
const newTrace = () => crypto.randomUUID().replaceAll('-', '');

async function signIn(): Promise<string> {
  const response = await SELF.fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.77' },
    body: JSON.stringify({ email: env.ADMIN_EMAIL_FOR_TESTS, password: env.ADMIN_PASSWORD_FOR_TESTS }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** The app as the Worker entry builds it, with logging and an in-memory span exporter, inside workerd. */
function observedApp() {
  const config = parseConfig({
    APP_ENV: 'test',
    DATABASE_URL: env.DATABASE_URL,
    DATABASE_DRIVER: 'neon-http',
    NEON_HTTP_ENDPOINT: env.NEON_HTTP_ENDPOINT,
    JWT_SIGNING_KEYS: 'workerd:0123456789abcdef0123456789abcdef0123456789abcdef',
    RATE_LIMIT_ENABLED: 'false',
    ACCESS_LOG: 'true',
    LOG_LEVEL: 'info',
  });
  const exporter = memorySpanExporter();
  const logger = createLogger({ level: 'info' });
  const telemetry = createTelemetry(config, {
    metricsMode: 'push',
    logger,
    runtime: 'workerd',
    spanExporter: exporter,
  });
  const { db } = openNeonHttp({ url: env.DATABASE_URL, endpoint: env.NEON_HTTP_ENDPOINT });
  const deps = instrumentDeps({
    config,
    db,
    logger,
    clock: () => new Date(),
    queue: unconfiguredQueue(() => {}),
    kv: createMemoryStore({ keyPrefix: 'obs:' }),
    telemetry,
  });
  return { app: createApp(deps), exporter, telemetry };
}

describe('Observability on the Worker entry in workerd', () => {
  it('Should answer /metrics with 404, since Workers push their metrics', async () => {
    const response = await SELF.fetch(`${origin}/metrics`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/OTLP|off/);
  });

  it("Should store the caller's traceparent with the job a request enqueues, tracing off", async () => {
    const token = await signIn();
    const traceparent = `00-${newTrace()}-b7ad6b7169203331-01`;
    const response = await SELF.fetch(`${origin}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent },
      body: JSON.stringify({ type: 'cleanup', payload: {}, runAt: '2999-01-01T00:00:00Z' }),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const [row] = await sql`select traceparent from jobs where id = ${id}`;
    expect(row?.traceparent).toBe(traceparent);
    await sql`delete from jobs where id = ${id}`;
  });

  it('Should log the request line with the same fields as on Node, and trace neon-http queries', async () => {
    const { app, exporter, telemetry } = observedApp();
    const traceId = newTrace();
    const lines: string[] = [];
    const capture = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const response = await app.request('/health/ready', {
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, 'x-request-id': 'workerd-obs' },
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    } finally {
      capture.mockRestore();
    }
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request');
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/health/ready',
      status: 200,
      requestId: 'workerd-obs',
      traceId,
    });
    expect(typeof line?.durationMs).toBe('number');
    expect(typeof line?.bytes).toBe('number');

    await telemetry.tracer?.flush();
    const spans = exporter.spans.filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.kind === 'server');
    expect(server?.name).toBe('GET /health/ready');
    expect(spans.some((s) => s.parentSpanId === server?.spanId && s.name === 'db select')).toBe(true);
  });
});
