import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionDrain } from './connection-drain.ts';

const servers: (() => void)[] = [];
afterEach(() => {
  for (const close of servers.splice(0)) close();
});

/** A server whose handler the test drives: each request waits in `pending` until answered. */
async function drainableServer() {
  const connections = connectionDrain();
  const pending: { req: IncomingMessage; res: ServerResponse }[] = [];
  let arrived: (() => void) | undefined;
  const server = createServer(connections.serverOptions, (req, res) => {
    pending.push({ req, res });
    arrived?.();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => server.closeAllConnections());
  const port = (server.address() as AddressInfo).port;
  const next = async () => {
    while (!pending.length) await new Promise<void>((resolve) => (arrived = resolve));
    return pending.shift() as { req: IncomingMessage; res: ServerResponse };
  };
  return { server, connections, port, next };
}

/** One request on its own keep-alive connection; resolves with the response head and, later, its body. */
function get(port: number) {
  return new Promise<{ res: IncomingMessage; body: Promise<string>; closed: Promise<void> }>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/', headers: { connection: 'keep-alive' } }, (res) => {
      const body = new Promise<string>((done) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => done(text));
      });
      const closed = new Promise<void>((done) => req.socket?.once('close', () => done()));
      resolve({ res, body, closed });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('connectionDrain', () => {
  it('Should keep connections alive until the drain, then say close on a response written after it', async () => {
    const s = await drainableServer();
    const before = get(s.port);
    (await s.next()).res.end('before');
    expect((await before).res.headers.connection).toBe('keep-alive');

    const during = get(s.port);
    const held = await s.next();
    const drained = s.connections.drain(s.server, 10_000);
    held.res.end('during');
    const answer = await during;
    expect(answer.res.headers.connection).toBe('close');
    expect(await answer.body).toBe('during');
    expect(await drained).toBe('drained');
  });

  it('Should close a streamed response’s connection once it ends, although its head went out before the drain', async () => {
    const s = await drainableServer();
    const streamed = get(s.port);
    const held = await s.next();
    held.res.writeHead(200, { 'content-type': 'text/plain' });
    held.res.write('first part, ');
    const answer = await streamed;
    expect(answer.res.headers.connection, 'the head went out before the drain').toBe('keep-alive');

    const started = performance.now();
    const drained = s.connections.drain(s.server, 10_000);
    held.res.end('last part');
    expect(await answer.body).toBe('first part, last part');
    await answer.closed;
    expect(await drained).toBe('drained');
    expect(performance.now() - started, 'closed by the sweep, not by the drain period').toBeLessThan(5_000);
  });

  it('Should cut off what is left when the drain period ends', async () => {
    const s = await drainableServer();
    const stalled = get(s.port).catch((error: unknown) => error);
    await s.next();
    expect(await s.connections.drain(s.server, 200)).toBe('timeout');
    expect(String(await stalled)).toMatch(/socket hang up|ECONNRESET/);
  });
});
