import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { hashPassword } from '../../core/password.ts';
import { upsertAdmin } from '../../db/queries/users.ts';
import { createDispatcher } from '../../jobs/dispatcher.ts';
import { backend, TEST_JWT_KEYS, useTestApp } from '../../test/support/harness.ts';

const lines: string[] = [];
const PASSWORD = 'correct horse battery staple 42';
const EMAIL = `logs-${crypto.randomUUID()}@test.local`;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

type Line = Record<string, unknown>;
const parsed = (): Line[] => lines.map((line) => JSON.parse(line) as Line);
const requestLines = () => parsed().filter((l) => l.msg === 'request');

describe.skipIf(backend.skip)(`structured logs [${backend.label}]`, () => {
  const t = useTestApp(
    {},
    {
      isolated: true,
      prepare: (deps) => ({
        ...deps,
        config: parseConfig({
          APP_ENV: 'test',
          ACCESS_LOG: 'true',
          LOG_LEVEL: 'debug',
          JWT_SIGNING_KEYS: TEST_JWT_KEYS,
          RATE_LIMIT_ENABLED: 'false',
        }),
        logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
      }),
    },
  );

  it('Should write one JSON line per request with its fields, and never a password, token or cookie', async () => {
    await upsertAdmin(t.deps.db, EMAIL, await hashPassword(PASSWORD));
    lines.length = 0;
    const login = await t.request('/api/v1/auth/login', {
      as: 'anonymous',
      method: 'POST',
      json: { email: EMAIL, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = (await login.json()) as { accessToken: string; refreshToken: string };
    const wrong = await t.request('/api/v1/auth/login', {
      as: 'anonymous',
      method: 'POST',
      json: { email: EMAIL, password: `${PASSWORD}!` },
    });
    expect(wrong.status).toBe(401);
    const problem = await wrong.text();
    const cookie = login.headers.get('set-cookie') ?? '';
    const read = await t.request('/api/v1/items?limit=1', {
      as: 'anonymous',
      headers: {
        authorization: `Bearer ${accessToken}`,
        cookie: cookie.split(';')[0] as string,
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        'x-request-id': 'logs-test-request',
      },
    });
    expect(read.status).toBe(200);
    const body = await read.text();
    await t.request('/api/v1/auth/refresh', { as: 'anonymous', method: 'POST', json: { refreshToken } });

    const all = parsed();
    expect(all.length).toBeGreaterThanOrEqual(4);
    const requests = requestLines();
    expect(requests.map((l) => `${l.method} ${l.route} ${l.status}`)).toEqual([
      'POST /api/v1/auth/login 200',
      'POST /api/v1/auth/login 401',
      'GET /api/v1/items 200',
      'POST /api/v1/auth/refresh 200',
    ]);
    const item = requests[2] as Line;
    expect(item).toMatchObject({
      level: 'info',
      requestId: 'logs-test-request',
      traceId: TRACE_ID,
      actorType: 'user',
      bytes: new TextEncoder().encode(body).byteLength,
    });
    // A problem document (c.body) is measured as well as a c.json answer.
    expect(requests[1]?.bytes).toBe(new TextEncoder().encode(problem).byteLength);
    expect(item.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof item.durationMs).toBe('number');
    expect(new Date(item.time as string).toString()).not.toBe('Invalid Date');

    const text = lines.join('\n');
    for (const secret of [PASSWORD, accessToken, refreshToken, cookie.split(';')[0]?.split('=')[1] ?? 'x']) {
      expect(text).not.toContain(secret);
    }
  });

  it('Should write one JSON line per job run with type, attempt, outcome and duration', async () => {
    const res = await t.request('/api/v1/jobs', { method: 'POST', as: 'editor', json: { type: 'cleanup' } });
    const { id } = (await res.json()) as { id: string };
    lines.length = 0;
    await createDispatcher(t.deps, { concurrency: 1, pollIntervalMs: 50, leaseMs: 5_000, schedule: false }).drain();
    const run = parsed().find((l) => l.msg === 'job run' && l.jobId === id);
    expect(run).toMatchObject({ level: 'info', type: 'cleanup', attempt: 1, outcome: 'succeeded' });
    expect(typeof run?.durationMs).toBe('number');
    expect(run?.requestId).toEqual(expect.any(String));
  });
});

describe('createLogger', () => {
  it('Should redact secret-looking keys at any depth, and keep the rest', () => {
    const out: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => out.push(l), redactKeys: ['ssn'] });
    logger.info('event', {
      password: 'p4ss',
      user: { email: 'a@b.c', newPassword: 'n3w', ssn: '123' },
      headers: { Authorization: 'Bearer abc', cookie: 'sid=1', 'x-api-key': 'k' },
      list: [{ refreshToken: 'r' }, { clientSecret: 's' }],
      count: 3,
    });
    const line = JSON.parse(out[0] as string);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'event',
      password: '[redacted]',
      user: { email: 'a@b.c', newPassword: '[redacted]', ssn: '[redacted]' },
      headers: { Authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' },
      list: [{ refreshToken: '[redacted]' }, { clientSecret: '[redacted]' }],
      count: 3,
    });
    for (const secret of ['p4ss', 'n3w', 'abc', 'sid=1', '"k"', '"r"', '"s"', '123']) {
      expect(out[0]).not.toContain(secret);
    }
  });

  it('Should write only lines at or above its level', () => {
    const out: string[] = [];
    const logger = createLogger({ level: 'warn', write: (l) => out.push(l) });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(out.map((l) => JSON.parse(l).level)).toEqual(['warn', 'error']);
    expect(logger.enabled('info')).toBe(false);
    expect(createLogger({ level: 'silent' }).enabled('error')).toBe(false);
  });
});
