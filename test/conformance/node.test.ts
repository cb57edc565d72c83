import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import type { TestResponse } from '../support/http.ts';
import { ADMIN } from './admin.ts';
import { databaseLabel, gracefulStopTests, useServerEntry } from './server-entry.ts';
import { conformanceSuite } from './suite.ts';

/**
 * Runs the Node entry as a user would (`tsx api/entries/node.ts`) on real Postgres
 * when TEST_DATABASE_URL is set, else on its embedded default (PGlite, migrated and
 * seeded at start-up), and runs the black-box suite against it.
 */
const entry = useServerEntry('node', 'pglite');

conformanceSuite(`node (${databaseLabel('pglite')})`, entry.baseUrl, () => ADMIN);

const embedded = !process.env.TEST_DATABASE_URL;

describe('node entry: embedded default', () => {
  it.skipIf(!embedded)(
    'Should seed demo data on first start of the embedded default (not done on Postgres)',
    async () => {
      const login = await fetch(`${entry.baseUrl()}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'viewer@edgeplane.local', password: DEMO_PASSWORD }),
      });
      expect(login.status, 'the demo viewer signs in with the printed password').toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const res = (await fetch(`${entry.baseUrl()}/api/v1/items?limit=100`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })) as TestResponse;
      expect((await res.json()).data.length, 'the month of demo items').toBeGreaterThanOrEqual(50);
    },
  );
});

gracefulStopTests('node', entry);
