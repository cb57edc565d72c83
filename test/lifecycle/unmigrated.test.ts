import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnChild, spawnTs, type TsChild, waitForHttp } from '../../dev/child-process.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';

/**
 * The Node entry started on an empty database with migrations off (`DATABASE_URL` set
 * and nobody ran `npm run db:migrate`): it must say what to do, on every probe and call,
 * and log the cause once, not a failed statement per request or per dispatcher poll.
 * On real Postgres it then starts serving once the database is migrated from outside.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;
const cleanups: Array<() => Promise<unknown>> = [];
const lines: string[] = [];
let server: TsChild;
let base: string;
let env: Record<string, string>;

beforeAll(async () => {
  const port = await freePort();
  env = { PORT: String(port), LOG_LEVEL: 'info', MIGRATE_ON_START: 'false', DATABASE_WAIT_SECONDS: '5' };
  if (postgresUrl) {
    const scratch = await createScratchDatabase(postgresUrl, 'edgeplane_unmigrated');
    env.DATABASE_URL = scratch.url;
    cleanups.push(scratch.drop);
  } else {
    // The embedded database, migrations off: the same check runs on PGlite.
    const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-unmigrated-'));
    Object.assign(env, { DATA_DIR: dataDir, SEED_DEMO_DATA: 'false' });
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  }
  server = spawnTs('node entry (unmigrated)', 'api/entries/node.ts', {
    env: { ...process.env, ...env },
    onLine: (line) => lines.push(line),
  });
  cleanups.push(() => server.stop());
  base = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${base}/health/live`, 60_000);
}, 90_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const FIX = /npm run db:migrate.*MIGRATE_ON_START=true/;

async function problem(path: string, init?: RequestInit) {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, body: (await response.json()) as { detail?: string; code?: string } };
}

describe('start-up on an unmigrated database', () => {
  it('answers readiness and the API with 503 naming the fix, and logs the cause once', async () => {
    // Long enough for the start-up check to run more than once (every 5 s) and the dispatcher to have polled.
    const until = Date.now() + 6_500;
    let calls = 0;
    while (Date.now() < until) {
      const ready = await problem('/health/ready');
      expect(ready.status, JSON.stringify(ready.body)).toBe(503);
      expect(ready.body.detail).toMatch(FIX);
      expect(ready.body.detail).toMatch(/no schema yet/);
      const login = await problem('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.com', password: 'not-a-real-password' }),
      });
      expect(login.status).toBe(503);
      expect(login.body.detail).toMatch(FIX);
      calls += 2;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(calls).toBeGreaterThan(10);
    const told = lines.filter((line) => line.includes('not serving: the database schema is not migrated'));
    expect(told, lines.join('\n')).toHaveLength(1);
    expect(told[0]).toMatch(FIX);
    // Nothing else at warn or error names a failed statement: no dispatcher poll, no handler ran.
    const failures = lines.filter((line) => /does not exist|"level":"error"/.test(line) && line !== told[0]);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 30_000);

  // PGlite's directory belongs to the running server, so only a shared Postgres can be migrated from outside.
  it.skipIf(!postgresUrl)(
    'serves once the database is migrated from outside (needs TEST_DATABASE_URL)',
    async () => {
      const migrator = spawnChild(
        'db:migrate',
        process.execPath,
        ['--import', 'tsx', 'api/entries/db-cli.ts', 'migrate'],
        {
          env: { ...process.env, ...env },
        },
      );
      expect((await migrator.exited).code, migrator.output()).toBe(0);
      await waitForHttp(server, `${base}/health/ready`, 15_000);
      const login = await problem('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.com', password: 'not-a-real-password' }),
      });
      expect(login.status, 'an unknown user, answered by the migrated database').toBe(401);
      // No users and no ADMIN_EMAIL: start-up says how to get the first admin.
      const hint = lines.filter((line) => line.includes('no admin can sign in yet'));
      expect(hint, lines.join('\n')).toHaveLength(1);
      expect(hint[0]).toContain('npm run admin:create');
    },
    30_000,
  );
});
