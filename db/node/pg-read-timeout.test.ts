import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { backend } from '../../test/support/harness.ts';
import { classifyDbError } from '../errors.ts';
import { CLIENT_TIMEOUT_MARGIN_MS, openPg } from './pg.ts';

/**
 * A TCP proxy in front of Postgres that can stop passing the server's bytes on, as a
 * frozen server or a partition looks from the client: the connection stays open and
 * nothing comes back.
 */
async function freezableProxy(target: URL) {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!frozen) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freeze: (value: boolean) => {
      frozen = value;
    },
    /** Connections the proxy holds open (each client connection and its upstream). */
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(backend.name !== 'postgres' || backend.skip)(
  `pg: a server that stops answering [${backend.label}]`,
  () => {
    it('Should give up on the query after the statement timeout plus the margin, as unavailable, and reconnect', async () => {
      const proxy = await freezableProxy(new URL(inject('postgresUrl') as string));
      cleanups.push(proxy.close);
      const statementTimeoutMs = 200;
      const handle = openPg({ url: proxy.url, poolSize: 1, statementTimeoutMs });
      cleanups.push(() => handle.close());
      expect(await handle.queryRows<{ ok: number }>('select 1 as ok')).toEqual([{ ok: 1 }]);

      proxy.freeze(true);
      const started = performance.now();
      const error = await handle.queryRows('select 2').catch((e: unknown) => e);
      const waited = performance.now() - started;
      expect(error).toBeInstanceOf(Error);
      // drizzle names the statement and keeps pg's error as the cause.
      expect(((error as Error).cause as Error | undefined)?.message).toMatch(/Query read timeout/);
      expect(classifyDbError(error)).toBe('unavailable');
      const limit = statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS;
      // Given up on between the limit and two looks (a quarter of it each) later, with slack for a busy machine.
      expect(waited).toBeGreaterThanOrEqual(limit - 5);
      expect(waited).toBeLessThan(limit * 1.5 + 1_000);

      // The stuck connection is gone; the pool's next one answers.
      proxy.freeze(false);
      expect(await handle.queryRows<{ ok: number }>('select 3 as ok')).toEqual([{ ok: 3 }]);
      expect(proxy.open(), 'the proxy holds one connection pair: the new one').toBe(2);
    });

    it('Should leave a connection alone while it sits idle past the limit', async () => {
      const proxy = await freezableProxy(new URL(inject('postgresUrl') as string));
      cleanups.push(proxy.close);
      // The limit is 1.1 s: a statement, then the connection idles well past the limit.
      const handle = openPg({ url: proxy.url, poolSize: 1, statementTimeoutMs: 100 });
      cleanups.push(() => handle.close());
      await expect(handle.queryRows('select pg_sleep(0.05)')).resolves.toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, (100 + CLIENT_TIMEOUT_MARGIN_MS) * 1.6));
      expect(await handle.queryRows<{ ok: number }>('select 4 as ok')).toEqual([{ ok: 4 }]);
      expect(proxy.open(), 'still the first connection').toBe(2);
    });
  },
);
