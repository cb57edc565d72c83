import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type Answer, floorRoutes, ITEMS_PATH } from './lib/floor.ts';

/*
 * The framework floor: the same routes, SQL and JSON as baseline-server.ts
 * (lib/floor.ts) on Hono and @hono/node-server, with no middleware at all. The app
 * runs on the same two, so the distance from here to the app is the app's own work:
 * validation, auth, request ids, metrics, security headers, audit.
 * Settings: PORT, HOST, DATABASE_URL, DATABASE_POOL_SIZE.
 */

const routes = await floorRoutes();
const app = new Hono();
const send = (answer: Answer) =>
  new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json', ...answer.headers },
  });

app.get(ITEMS_PATH, async (c) => send(await routes.list(new URL(c.req.url).searchParams)));
app.get(`${ITEMS_PATH}/:id`, async (c) => send(await routes.get(c.req.param('id'))));
app.post(ITEMS_PATH, async (c) => send(await routes.create(await c.req.text())));
app.get('/health/ready', async () => send(await routes.ready()));

const server = serve({
  fetch: app.fetch,
  port: Number(process.env.PORT ?? 8789),
  hostname: process.env.HOST ?? '127.0.0.1',
});

process.once('SIGTERM', () => {
  server.close();
  void routes.close().finally(() => process.exit(0));
});
