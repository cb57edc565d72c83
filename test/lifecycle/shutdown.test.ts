import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnTs, type TsChild, waitForHttp } from '../../dev/child-process.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { ADMIN, ADMIN_ENV } from '../conformance/admin.ts';
import { connectionRefused, parseResponses, rawConnection, slowUpload } from './raw-http.ts';

/**
 * What a rolling update relies on, from outside the process: the Node entry started as in
 * production, a burst of slow uploads in flight, then SIGTERM.
 */
interface Started {
  server: TsChild;
  port: number;
  base: string;
  token: string;
}

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(drainMs: number): Promise<Started> {
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    LOG_LEVEL: 'info',
    ACCESS_LOG: 'false',
    SHUTDOWN_DRAIN_MS: String(drainMs),
    ...ADMIN_ENV,
  };
  if (process.env.TEST_DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, 'edgeplane_shutdown');
    Object.assign(env, { DATABASE_URL: scratch.url, MIGRATE_ON_START: 'true' });
    cleanups.push(scratch.drop);
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-shutdown-'));
    env.DATA_DIR = dataDir;
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  }
  const server = spawnTs('node entry', 'api/entries/node.ts', { env: { ...process.env, ...env } });
  cleanups.push(() => server.stop());
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${base}/health/ready`, 60_000);
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(login.status, 'the admin signs in').toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { server, port, base, token: accessToken };
}

/** Half an item or half a CSV file now, the rest when `finish()` is called. */
function uploads(s: Started, agent: Agent, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const auth = { authorization: `Bearer ${s.token}` };
    if (i % 2 === 0) {
      const body = JSON.stringify({ title: `in flight during shutdown ${i}`, priority: 'high' });
      const cut = Math.floor(body.length / 2);
      return slowUpload(`${s.base}/api/v1/items`, {
        agent,
        headers: { ...auth, 'content-type': 'application/json' },
        parts: [body.slice(0, cut), body.slice(cut)],
      });
    }
    return slowUpload(`${s.base}/api/v1/items/import`, {
      agent,
      headers: { ...auth, 'content-type': 'text/csv' },
      parts: [`title,priority\nimported ${i}a,low\n`, `imported ${i}b,medium\n`],
    });
  });
}

async function untilRefused(port: number): Promise<void> {
  while (!(await connectionRefused(port))) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('node entry: graceful shutdown', () => {
  it('Should answer readiness 503 first, finish every in-flight request, refuse new connections and exit 0', {
    timeout: 120_000,
  }, async () => {
    const s = await start(60_000);
    const agent = new Agent({ keepAlive: true });
    cleanups.push(async () => agent.destroy());

    const inFlight = uploads(s, agent, 6);
    await Promise.all(inFlight.map((upload) => upload.started));

    // A load balancer's connection: one request answered, the next one already on the wire
    // (its headers not yet complete) when the signal arrives.
    const probe = await rawConnection(s.port);
    probe.socket.write(
      `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
    );
    const [live] = parseResponses(await probe.received((text) => parseResponses(text).length === 1));
    expect(live?.status, 'readiness before the signal').toBe(200);
    expect(live?.headers.connection, 'connections are kept alive before the signal').toBe('keep-alive');

    s.server.process.kill('SIGTERM');
    await untilRefused(s.port);

    probe.socket.write('\r\n');
    const [, ready] = parseResponses(await probe.ended);
    expect(ready?.status, 'readiness once draining').toBe(503);
    expect(ready?.headers['content-type']).toContain('application/problem+json');
    expect(ready?.headers.connection, 'the connection closes after this answer').toBe('close');
    expect(JSON.parse(ready?.body ?? '{}').detail).toMatch(/shutting down/);
    expect(
      inFlight.map((upload) => upload.settled()),
      'readiness failed while the uploads were still in flight',
    ).toEqual(inFlight.map(() => false));

    for (const upload of inFlight) upload.finish();
    const answers = await Promise.all(inFlight.map((upload) => upload.answer));
    answers.forEach((answer, i) => {
      expect(answer.status, answer.body).toBe(i % 2 === 0 ? 201 : 202);
      expect(answer.headers.connection, 'each connection closes after its current response').toBe('close');
    });
    expect(JSON.parse(answers[0]?.body ?? '{}')).toMatchObject({ title: 'in flight during shutdown 0' });
    expect(JSON.parse(answers[1]?.body ?? '{}')).toMatchObject({ type: 'process-data', status: 'queued' });

    expect(await s.server.exited).toEqual({ code: 0, signal: null });
    expect(s.server.output()).toContain('"msg":"stopped"');
    expect(s.server.output()).not.toContain('drain period over');
  });

  it('Should cut off a request that outlives SHUTDOWN_DRAIN_MS and still exit 0', { timeout: 120_000 }, async () => {
    const s = await start(300);
    const agent = new Agent({ keepAlive: true });
    cleanups.push(async () => agent.destroy());
    const [stalled] = uploads(s, agent, 1);
    await stalled?.started;

    s.server.process.kill('SIGTERM');
    // Its body never comes: the drain period ends without it.
    await expect(stalled?.answer).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await s.server.exited).toEqual({ code: 0, signal: null });
    expect(s.server.output()).toContain('drain period over');
  });
});
