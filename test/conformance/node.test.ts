import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { freePort, spawnTs, type TsChild, waitForHttp } from '../../dev/child-process.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import type { TestResponse } from '../support/http.ts';
import { ADMIN, ADMIN_ENV } from './admin.ts';
import { conformanceSuite } from './suite.ts';

/**
 * Runs the Node entry as a user would (`tsx api/entries/node.ts`) on real Postgres
 * when TEST_DATABASE_URL is set, else on its embedded default (PGlite, migrated and
 * seeded at start-up), and runs the black-box suite against it.
 */
let server: TsChild;
let baseUrl = '';
let cleanup: () => Promise<unknown> = async () => {};

beforeAll(async () => {
  const port = await freePort();
  const env: Record<string, string> = { PORT: String(port), LOG_LEVEL: 'info', ACCESS_LOG: 'false', ...ADMIN_ENV };
  if (process.env.TEST_DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, 'edgeplane_conf_node');
    Object.assign(env, { DATABASE_URL: scratch.url, MIGRATE_ON_START: 'true' });
    cleanup = scratch.drop;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-conf-'));
    env.DATA_DIR = dataDir;
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  server = spawnTs('node entry', 'api/entries/node.ts', { env: { ...process.env, ...env } });
  baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${baseUrl}/health/ready`, 60_000);
});

afterAll(async () => {
  await server?.stop();
  await cleanup();
});

conformanceSuite(
  `node (${process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded pglite'})`,
  () => baseUrl,
  () => ADMIN,
);

const embedded = !process.env.TEST_DATABASE_URL;

describe('node entry lifecycle', () => {
  it.skipIf(!embedded)(
    'Should seed demo data on first start of the embedded default (not done on Postgres)',
    async () => {
      const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'viewer@edgeplane.local', password: DEMO_PASSWORD }),
      });
      expect(login.status, 'the demo viewer signs in with the printed password').toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const res = (await fetch(`${baseUrl}/api/v1/items?q=demo%20item&limit=100`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })) as TestResponse;
      expect((await res.json()).data.length).toBeGreaterThanOrEqual(20);
    },
  );

  it('Should drain and exit with code 0 on SIGTERM', async () => {
    server.process.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
