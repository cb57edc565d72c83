import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export interface LocalServerOptions {
  /** For log lines, e.g. `neon stand-in`. */
  name: string;
  /** 0 or undefined picks a free port. */
  port?: number;
  log: (line: string) => void;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Answers a request whose handler threw before responding. */
  fail(res: ServerResponse): void;
}

/** An HTTP server for a dev/test stand-in, on 127.0.0.1 only. */
export async function listenLocal(options: LocalServerOptions): Promise<LocalServer> {
  const server = createServer((req, res) => {
    options.handle(req, res).catch((error: unknown) => {
      options.log(`${options.name}: ${req.method} ${req.url} failed: ${String(error)}`);
      if (res.headersSent) res.destroy();
      else options.fail(res);
    });
  });
  // Keep-alive sockets from clients must not hold close() open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads a request's body, up to `maxBytes`; past that it throws what `tooLarge` makes. */
export async function readBoundedBody(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
