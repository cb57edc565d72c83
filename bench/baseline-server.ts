import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Answer, floorRoutes, ITEMS_PATH, MAX_BODY_BYTES } from './lib/floor.ts';

/*
 * The floor the app is compared with: node:http and a pg pool running the app's own
 * SQL for the benchmarked routes (lib/floor.ts), and nothing else.
 * Settings: PORT, HOST, DATABASE_URL, DATABASE_POOL_SIZE.
 */

const routes = await floorRoutes();

function send(res: ServerResponse, { status, body, headers }: Answer): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === ITEMS_PATH && req.method === 'GET') {
    return send(res, await routes.list(new URLSearchParams(q === -1 ? '' : url.slice(q + 1))));
  }
  if (path === ITEMS_PATH && req.method === 'POST') {
    const text = await readBody(req);
    return send(
      res,
      text === undefined ? { status: 413, body: { error: 'body too large' } } : await routes.create(text),
    );
  }
  if (path.startsWith(`${ITEMS_PATH}/`) && req.method === 'GET') {
    return send(res, await routes.get(path.slice(ITEMS_PATH.length + 1)));
  }
  if (path === '/health/ready') return send(res, await routes.ready());
  send(res, { status: 404, body: { error: 'no such route' } });
}

const server = createServer((req, res) => {
  route(req, res).catch((error: unknown) => {
    console.error('request failed:', error instanceof Error ? error.message : error);
    if (!res.headersSent) send(res, { status: 500, body: { error: 'internal error' } });
    else res.destroy();
  });
});
server.listen(Number(process.env.PORT ?? 8788), process.env.HOST ?? '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void routes.close().finally(() => process.exit(0));
});
