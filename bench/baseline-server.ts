import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { encodeCursor } from '../api/lib/cursor.ts';
import { etag } from '../api/lib/etag.ts';
import { toItem } from '../api/routes/items/items.schemas.ts';
import type { ItemRow } from '../db/schema.ts';
import { captureItemsSql } from './lib/items-sql.ts';

/*
 * The floor the app is compared with: node:http and a pg pool running the app's
 * own SQL for the benchmarked routes, serializing rows with the app's `toItem`,
 * and nothing else (no router, validation library, ORM or middleware).
 * Settings: PORT, HOST, DATABASE_URL, DATABASE_POOL_SIZE.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ITEMS = '/api/v1/items';
const MAX_BODY_BYTES = 1_048_576;

interface PgItemRow {
  id: string;
  title: string;
  description: string | null;
  status: ItemRow['status'];
  priority: ItemRow['priority'];
  tags: string[];
  owner_id: string | null;
  due_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const fromPg = (r: PgItemRow): ItemRow => ({
  id: r.id,
  title: r.title,
  description: r.description,
  status: r.status,
  priority: r.priority,
  tags: r.tags,
  ownerId: r.owner_id,
  dueAt: r.due_at,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

const sql = await captureItemsSql();
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  // As db/node/pg.ts configures the app's pool.
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
});
pool.on('error', () => {});

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function list(res: ServerResponse, query: string): Promise<void> {
  const raw = new URLSearchParams(query).get('limit');
  const limit = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return send(res, 400, { error: 'limit must be 1 to 100' });
  const { rows } = await pool.query<PgItemRow>(sql.list.text, sql.list.params({ fetch: limit + 1 }));
  const page = rows.slice(0, limit).map(fromPg);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor('-created', { value: last.createdAt.toISOString(), id: last.id }) : null;
  send(res, 200, { data: page.map(toItem), nextCursor });
}

async function get(res: ServerResponse, id: string): Promise<void> {
  if (!UUID.test(id)) return send(res, 422, { error: 'id must be a UUID' });
  const { rows } = await pool.query<PgItemRow>(sql.get.text, sql.get.params({ id }));
  const [row] = rows;
  if (!row) return send(res, 404, { error: 'not found' });
  send(res, 200, toItem(fromPg(row)), { etag: etag(row.version) });
}

async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return send(res, 413, { error: 'body too large' });
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return send(res, 400, { error: 'body is not JSON' });
  }
  const title = typeof body === 'object' && body !== null && 'title' in body ? body.title : undefined;
  const trimmed = typeof title === 'string' ? title.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 200) return send(res, 422, { error: 'title must be 1 to 200 characters' });
  const { rows } = await pool.query<PgItemRow>(
    sql.create.text,
    sql.create.params({ title: trimmed, requestId: randomUUID() }),
  );
  const [row] = rows;
  if (!row) throw new Error('insert returned no row');
  send(res, 201, toItem(fromPg(row)), { etag: etag(row.version), location: `${ITEMS}/${row.id}` });
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === ITEMS && req.method === 'GET') return list(res, q === -1 ? '' : url.slice(q + 1));
  if (path === ITEMS && req.method === 'POST') return create(req, res);
  if (path.startsWith(`${ITEMS}/`) && req.method === 'GET') return get(res, path.slice(ITEMS.length + 1));
  if (path === '/health/ready') {
    await pool.query('select 1');
    return send(res, 200, { status: 'ok' });
  }
  send(res, 404, { error: 'no such route' });
}

const server = createServer((req, res) => {
  route(req, res).catch((error: unknown) => {
    console.error('request failed:', error instanceof Error ? error.message : error);
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
    else res.destroy();
  });
});
server.listen(Number(process.env.PORT ?? 8788), process.env.HOST ?? '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
});
