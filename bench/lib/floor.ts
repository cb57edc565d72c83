import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { encodeCursor } from '../../api/lib/cursor.ts';
import { etag } from '../../api/lib/etag.ts';
import { toItem } from '../../core/items.ts';
import { statementName } from '../../db/prepared.ts';
import type { ItemRow } from '../../db/schema.ts';
import { captureItemsSql } from './items-sql.ts';

/*
 * The benchmarked routes with nothing but a pg pool, the app's own SQL (captured from
 * db/queries/items.ts) and the app's `toItem`: no validation library, ORM or middleware.
 * The floors (baseline-server.ts on node:http, hono-floor-server.ts on Hono) put these
 * answers on the wire, each its own way. Settings: DATABASE_URL, DATABASE_POOL_SIZE.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ITEMS_PATH = '/api/v1/items';
export const MAX_BODY_BYTES = 1_048_576;

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

/** What a floor sends: a status, a JSON body and headers. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A named prepared statement, parsed and planned once per connection, as the app's are on pg. */
const named = (text: string, values: unknown[]) => ({ name: statementName(text), text, values });

/** The floor's routes over one pool. */
export async function floorRoutes() {
  const sql = await captureItemsSql();
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // As db/node/pg.ts configures the app's pool.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {});
  return {
    async list(query: URLSearchParams): Promise<Answer> {
      const raw = query.get('limit');
      const limit = raw === null ? 20 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: { error: 'limit' } };
      const { rows } = await pool.query<PgItemRow>(named(sql.list.text, sql.list.params({ fetch: limit + 1 })));
      const page = rows.slice(0, limit).map(fromPg);
      const last = page.at(-1);
      const nextCursor =
        rows.length > limit && last
          ? encodeCursor('-created', { value: last.createdAt.toISOString(), id: last.id })
          : null;
      return { status: 200, body: { data: page.map(toItem), nextCursor } };
    },
    async get(id: string): Promise<Answer> {
      if (!UUID.test(id)) return { status: 422, body: { error: 'id must be a UUID' } };
      const { rows } = await pool.query<PgItemRow>(named(sql.get.text, sql.get.params({ id })));
      const [row] = rows;
      if (!row) return { status: 404, body: { error: 'not found' } };
      return { status: 200, body: toItem(fromPg(row)), headers: { etag: etag(row.version) } };
    },
    async create(text: string): Promise<Answer> {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 400, body: { error: 'body is not JSON' } };
      }
      const title = typeof body === 'object' && body !== null && 'title' in body ? body.title : undefined;
      const trimmed = typeof title === 'string' ? title.trim() : '';
      if (trimmed.length < 1 || trimmed.length > 200) return { status: 422, body: { error: 'title' } };
      const { rows } = await pool.query<PgItemRow>(
        named(sql.create.text, sql.create.params({ title: trimmed, requestId: randomUUID() })),
      );
      const [row] = rows;
      if (!row) throw new Error('insert returned no row');
      const item = toItem(fromPg(row));
      return { status: 201, body: item, headers: { etag: etag(row.version), location: `${ITEMS_PATH}/${row.id}` } };
    },
    async ready(): Promise<Answer> {
      await pool.query('select 1');
      return { status: 200, body: { status: 'ok' } };
    },
    close: () => pool.end(),
  };
}
