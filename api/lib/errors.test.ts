import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { randomToken, sha256Hex } from '../../core/encoding.ts';
import { createLogger } from '../../core/logger.ts';
import { describeError, scrubMessage } from '../../db/errors.ts';
import { openPg } from '../../db/node/pg.ts';
import { holdsSecret } from '../../dev/secret-shapes.ts';
import { closedPort } from '../../dev/webhook-receiver.ts';
import { failInserts } from '../../test/support/fail-inserts.ts';
import { backend, testDatabase, unique, useTestApp } from '../../test/support/harness.ts';
import { API_KEY_PREFIX } from '../auth/session.ts';
import { handleError } from './errors.ts';
import type { AppEnv } from './types.ts';

/** What may never appear in a log line or a response, whatever failed. */
const leaks = (texts: string[], secrets: string[]) => texts.filter((t) => holdsSecret(t, secrets));

describe('describeError', () => {
  it('Should keep the driver reason and SQLSTATE of a failed statement, never its text or parameters', async () => {
    const handle = await testDatabase();
    const secret = `whsec_${randomToken()}`;
    const error = await handle.db
      .execute(sql`select ${secret}::int`)
      .then(() => undefined)
      .catch((e: unknown) => e);
    const described = describeError(error);
    expect(described).toMatchObject({ class: 'invalid_input', code: '22P02' });
    expect(described.message).toBe('invalid input syntax for type integer: "…"');
    expect(JSON.stringify(described)).not.toContain(secret);
    expect(JSON.stringify(described)).not.toContain('select');
  });

  it('Should cut quoted values and byte dumps but keep quoted identifiers', () => {
    expect(scrubMessage('duplicate key value violates unique constraint "users_email_unique"')).toBe(
      'duplicate key value violates unique constraint "users_email_unique"',
    );
    expect(scrubMessage('value "99999999999" is out of range for type integer')).toBe(
      'value "…" is out of range for type integer',
    );
    expect(scrubMessage('invalid byte sequence for encoding "UTF8": 0x00')).toBe(
      'invalid byte sequence for encoding "UTF8": 0x…',
    );
    expect(scrubMessage('Failed query: insert into users values ($1)\nparams: pbkdf2-sha256$1$a$b')).toBe(
      'Failed query: insert into users values ($1)',
    );
    expect(scrubMessage(`Unexpected token 'p', "password=hunter2" is not valid JSON`)).toBe(
      `Unexpected token 'p', "…" is not valid JSON`,
    );
  });

  it('Should give a program error its stack frames, and a database error none', () => {
    const program = describeError(new TypeError('x is not a function'));
    expect(program).toMatchObject({ name: 'TypeError', message: 'x is not a function', class: undefined });
    expect(program.stack?.[0]).toMatch(/^at /);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeError(refused)).toEqual({
      name: 'Error',
      class: 'unavailable',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
      stack: undefined,
    });
  });
});

/** An app on the test database whose log lines are kept. */
function loggedApp() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  return { t: useTestApp({ logger }), lines };
}

describe.skipIf(backend.skip)(`no secret reaches a log line or a response [${backend.label}]`, () => {
  describe('while the database is gone', async () => {
    const port = await closedPort();
    const gone = openPg({ url: `postgres://postgres@127.0.0.1:${port}/gone`, poolSize: 1 });
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const t = useTestApp({ logger, db: gone.db }, { offline: true });

    it('Should answer 503 to writes whose statements carry a hash, a secret or a token, and log none of them', async () => {
      const apiKey = `${API_KEY_PREFIX}${randomToken()}`;
      const refreshToken = randomToken();
      const password = 'correct-horse-battery-staple-9';
      const bodies: string[] = [];
      const send = async (path: string, init: Parameters<typeof t.request>[1]) => {
        const res = await t.request(path, init);
        expect(res.status, `${init?.method} ${path}`).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        bodies.push(await res.text());
      };
      await send('/api/v1/users', { method: 'POST', json: { email: `${unique()}@test.local`, name: 'N' } });
      await send('/api/v1/webhooks', {
        method: 'POST',
        json: { url: 'https://example.com/hook', events: ['item.created'] },
      });
      await send('/api/v1/api-keys', { method: 'POST', json: { name: 'k', role: 'viewer' } });
      await send('/api/v1/auth/login', { method: 'POST', json: { email: 'a@test.local', password } });
      await send('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken } });
      await send('/api/v1/items', { headers: { authorization: `Bearer ${apiKey}` } });
      await send('/api/v1/items', {});
      const secrets = [apiKey, await sha256Hex(apiKey), refreshToken, await sha256Hex(refreshToken), password];
      const jwt = t.credentials.admin as string;
      secrets.push(jwt);
      expect(lines.some((l) => l.includes('database unavailable'))).toBe(true);
      expect(leaks([...lines, ...bodies], secrets)).toEqual([]);
    });
  });

  describe('when the statement reaches the database and fails there', () => {
    const { t, lines } = loggedApp();

    it('Should answer 500 without details and log the reason by code, without the hash or the secret', async () => {
      const name = unique('refused');
      const restores = await Promise.all([
        failInserts(t.handle, 'users', name, 'name'),
        failInserts(t.handle, 'webhooks', name, 'description'),
        failInserts(t.handle, 'api_keys', name, 'name'),
      ]);
      const bodies: string[] = [];
      try {
        for (const [path, json] of [
          ['/api/v1/users', { email: `${unique()}@test.local`, name }],
          ['/api/v1/webhooks', { url: 'https://example.com/hook', events: ['item.created'], description: name }],
          ['/api/v1/api-keys', { name, role: 'viewer' }],
        ] as const) {
          const res = await t.request(path, { method: 'POST', json });
          expect(res.status, path).toBe(500);
          bodies.push(await res.text());
        }
      } finally {
        for (const restore of restores) await restore();
      }
      const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'unhandled error');
      expect(errors).toHaveLength(3);
      expect(errors[0]).toMatchObject({
        level: 'error',
        method: 'POST',
        route: '/api/v1/users',
        error: { class: 'other', code: 'P0001', message: 'users rejected the row' },
      });
      expect(leaks([...lines, ...bodies], [t.credentials.admin as string])).toEqual([]);
    });
  });
});

describe.skipIf(backend.skip)(`a database without the expected schema [${backend.label}]`, () => {
  it('Should answer 503 saying how to migrate, and log it once per route, not per request', async () => {
    const handle = await testDatabase();
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('deps', { logger } as AppEnv['Variables']['deps']);
      await next();
    });
    // What every statement meets on a database nobody migrated.
    app.get('/probe', async () => {
      await handle.db.execute(sql`select * from ${sql.identifier(unique('missing_table'))}`);
      return new Response('unreachable');
    });
    app.onError(handleError);
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/probe');
      expect(res.status).toBe(503);
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe('service_unavailable');
      expect(body.detail).toMatch(/schema is missing or older than this version: run `npm run db:migrate`/);
    }
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.includes('schema'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'warn',
      route: '/probe',
      error: { class: 'schema_outdated', code: '42P01' },
    });
    expect(lines.join('\n')).not.toContain('select');
  });
});
