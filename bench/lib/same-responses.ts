import { deepStrictEqual } from 'node:assert/strict';
import pg from 'pg';

const VOLATILE = ['id', 'createdAt', 'updatedAt'];

async function call(origin: string, path: string, init: RequestInit = {}, auth: Record<string, string> = {}) {
  const response = await fetch(`${origin}${path}`, { ...init, headers: { ...auth, ...(init.headers as object) } });
  const body: unknown = await response.json();
  return { status: response.status, etag: response.headers.get('etag'), body };
}

function withoutVolatile(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !VOLATILE.includes(key)));
}

/**
 * Checks, before any load, that the two servers answer each benchmarked route
 * identically (status, ETag, body) and write the same audit row, so the
 * comparison is between equal work. Throws with a diff when they differ.
 */
export async function assertSameResponses(
  app: string,
  baseline: string,
  probe: { itemId: string; databaseUrl: string; auth: Record<string, string> },
): Promise<void> {
  for (const path of ['/api/v1/items?limit=20', `/api/v1/items/${probe.itemId}`]) {
    const [a, b] = await Promise.all([call(app, path, {}, probe.auth), call(baseline, path, {}, probe.auth)]);
    deepStrictEqual(b, a, `GET ${path}: the baseline answers differently from the app`);
    if (a.status !== 200) throw new Error(`GET ${path} answered ${a.status}: ${JSON.stringify(a.body)}`);
  }

  const post: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Equivalence probe' }),
  };
  const a = await call(app, '/api/v1/items', post, probe.auth);
  const b = await call(baseline, '/api/v1/items', post, probe.auth);
  if (a.status !== 201) throw new Error(`POST /api/v1/items answered ${a.status}: ${JSON.stringify(a.body)}`);
  deepStrictEqual(
    { ...b, body: withoutVolatile(b.body) },
    { ...a, body: withoutVolatile(a.body) },
    'POST /api/v1/items: the baseline answers differently from the app',
  );

  const ids = [a.body, b.body].map((body) => (body as { id: string }).id);
  const client = new pg.Client({ connectionString: probe.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT actor_type, actor_id, action, entity_type, before, after - $2::text[] AS after, request_id IS NOT NULL AS has_request_id
         FROM audit_logs WHERE entity_id = ANY($1::text[]) ORDER BY array_position($1::text[], entity_id)`,
      [ids, VOLATILE],
    );
    if (rows.length !== 2) throw new Error(`expected one audit row per created item, found ${rows.length}`);
    deepStrictEqual(rows[1], rows[0], 'POST /api/v1/items: the baseline writes a different audit row');
  } finally {
    await client.end();
  }
}
