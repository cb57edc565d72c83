import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnTs } from '../../dev/child-process.ts';

/** The Node entry given an address it cannot bind: one line saying which and why, exit 1. */
let cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe('node entry: an address it cannot listen on', () => {
  it('Should exit 1 saying the address is in use and what to change, without a stack trace', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-listen-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const server = spawnTs('node entry', 'api/entries/node.ts', {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    cleanups.push(() => server.stop());

    expect(await server.exited, server.output()).toEqual({ code: 1, signal: null });
    const output = server.output();
    expect(output).toContain(
      `cannot listen on 127.0.0.1:${port}: the address is in use (EADDRINUSE). Stop what holds it, or set HOST and PORT to another address.`,
    );
    expect(output).not.toMatch(/Unhandled 'error' event|\n\s+at /);
  });
});
