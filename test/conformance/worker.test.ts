import { describe, expect, it } from 'vitest';
import { ADMIN } from './admin.ts';
import { conformanceSuite } from './suite.ts';
import { useWorkerEntry } from './worker-entry.ts';

/**
 * Runs the Worker entry under `wrangler dev` (workerd, no nodejs_compat) with the real
 * Neon HTTP client talking to the local stand-in, in front of a per-run Postgres
 * database when TEST_DATABASE_URL is set and an in-memory PGlite otherwise, then runs
 * the black-box suite against it. Jobs reach the Worker the way they do in production:
 * published to (here, local) QStash, delivered back signed, verified by the Worker.
 */
const worker = useWorkerEntry();

conformanceSuite(
  `worker under wrangler dev (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'} via Neon stand-in)`,
  worker.baseUrl,
  () => ADMIN,
);

describe('worker: QStash deliveries', () => {
  it('Should have received every due job through a signed QStash delivery', () => {
    const messages = worker.stack()?.qstash.messages() ?? [];
    expect(messages.every((m) => m.destination === `${worker.baseUrl()}/api/v1/jobs/deliver`)).toBe(true);
    // The suite also schedules a job an hour ahead (and cancels it): QStash holds that one back.
    const due = messages.filter((m) => m.notBefore <= Date.now());
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((m) => m.state === 'DELIVERED')).toBe(true);
  });

  it('Should refuse a delivery with a forged signature and run nothing', async () => {
    const res = await fetch(`${worker.baseUrl()}/api/v1/jobs/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'upstash-signature': 'eyJhbGciOiJIUzI1NiJ9.e30.forged' },
      body: JSON.stringify({ jobId: crypto.randomUUID() }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
