import { env, SELF } from 'cloudflare:test';
import { neon, neonConfig } from '@neondatabase/serverless';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// The Worker entry runs in this isolate and reaches its database through the real Neon
// HTTP client and the stand-in; the tests read and prepare rows through the same path.
neonConfig.fetchEndpoint = () => env.NEON_HTTP_ENDPOINT;
const sql = neon(env.DATABASE_URL);

interface Item {
  id: string;
  title: string;
  tags: string[];
  version: number;
}

const uid = () => crypto.randomUUID();

let token = '';

function api(path: string, init: RequestInit & { requestId?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  if (init.requestId) headers.set('x-request-id', init.requestId);
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return SELF.fetch(`http://edgeplane.test${path}`, { ...init, headers });
}

// Every test below acts as an admin who signed in through the Worker itself.
beforeAll(async () => {
  const response = await api('/api/v1/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email: env.ADMIN_EMAIL_FOR_TESTS, password: env.ADMIN_PASSWORD_FOR_TESTS }),
  });
  expect(response.status).toBe(200);
  token = ((await response.json()) as { accessToken: string }).accessToken;
});

async function createItem(body: Record<string, unknown>, requestId = `wd-${uid()}`) {
  const response = await api('/api/v1/items', { method: 'POST', body: JSON.stringify(body), requestId });
  return { response, item: (await response.json()) as Item, requestId };
}

async function auditRows(requestId: string) {
  return sql`select action, entity_id, before, after from audit_logs where request_id = ${requestId} order by id`;
}

/**
 * Makes every audit insert carrying `requestId` fail, for the length of `run`. Keyed on
 * the request id so that tests running meanwhile keep writing audit rows. Returns what
 * `run` returned and the lines the app logged meanwhile (the Worker shares this isolate),
 * which keeps the expected error out of the test output.
 */
async function withFailingAudit<T>(requestId: string, run: () => Promise<T>): Promise<{ result: T; logs: string[] }> {
  const name = `refuse_audit_${uid().replaceAll('-', '')}`;
  await sql.query(
    `create function ${name}() returns trigger language plpgsql as $$
     begin
       if new.request_id = '${requestId}' then raise exception 'audit store refused the row'; end if;
       return new;
     end $$`,
  );
  await sql.query(`create trigger ${name} before insert on audit_logs for each row execute function ${name}()`);
  const logs: string[] = [];
  const capture = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logs.push(String(line)));
  try {
    return { result: await run(), logs };
  } finally {
    capture.mockRestore();
    await sql.query(`drop trigger if exists ${name} on audit_logs`);
    await sql.query(`drop function if exists ${name}()`);
  }
}

describe(`Worker entry in workerd, database ${env.TEST_BACKEND} behind the Neon stand-in`, () => {
  it('Should report the database as ready', async () => {
    const response = await api('/health/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
  });

  it('Should create an item with Location and ETag, and find it in the list', async () => {
    const tag = `wd-${uid()}`;
    const { response, item } = await createItem({ title: `Created in workerd ${tag}`, tags: [tag] });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/v1/items/${item.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(item).toMatchObject({ tags: [tag], version: 1 });

    const list = await api(`/api/v1/items?tag=${encodeURIComponent(tag)}`);
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as { data: Item[] };
    expect(data.map((i) => i.id)).toEqual([item.id]);
  });

  it('Should write the audit row of a create with the request id', async () => {
    const { item, requestId } = await createItem({ title: `Audited ${uid()}` });
    const rows = await auditRows(requestId);
    expect(rows).toEqual([
      { action: 'item.created', entity_id: item.id, before: null, after: expect.objectContaining({ id: item.id }) },
    ]);
  });

  it('Should update with the current If-Match and record before and after', async () => {
    const { item } = await createItem({ title: `Before ${uid()}` });
    const requestId = `wd-${uid()}`;
    const response = await api(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"1"' },
      body: JSON.stringify({ title: `After ${item.id}` }),
      requestId,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(await response.json()).toMatchObject({ id: item.id, title: `After ${item.id}`, version: 2 });
    expect(await auditRows(requestId)).toEqual([
      {
        action: 'item.updated',
        entity_id: item.id,
        before: expect.objectContaining({ title: item.title, version: 1 }),
        after: expect.objectContaining({ title: `After ${item.id}`, version: 2 }),
      },
    ]);
  });

  it('Should refuse a stale If-Match with 412 and change nothing', async () => {
    const { item } = await createItem({ title: `Contended ${uid()}` });
    const first = await api(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"1"' },
      body: JSON.stringify({ title: `First writer ${item.id}` }),
    });
    expect(first.status).toBe(200);

    const stale = await api(`/api/v1/items/${item.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"1"' },
      body: JSON.stringify({ title: 'Lost update' }),
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(await stale.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 2 });

    const current = (await (await api(`/api/v1/items/${item.id}`)).json()) as Item;
    expect(current).toMatchObject({ title: `First writer ${item.id}`, version: 2 });
  });

  it('Should follow RFC 9110 for If-Match lists: 412 for any that does not match strongly, * for any version', async () => {
    const { item } = await createItem({ title: `Conditional ${uid()}` });
    const patch = (ifMatch: string) =>
      api(`/api/v1/items/${item.id}`, {
        method: 'PATCH',
        headers: { 'if-match': ifMatch },
        body: JSON.stringify({ title: `Patched ${uid()}` }),
      });
    for (const tags of ['"stale-0"', 'W/"1"', '"999", "998"']) {
      const res = await patch(tags);
      expect(res.status, tags).toBe(412);
      expect(res.headers.get('etag')).toBe('"1"');
    }
    expect((await patch('not a tag')).status).toBe(400);
    expect((await patch('"9", "1"')).status).toBe(200);
    expect((await patch('*')).status).toBe(200);
  });

  it('Should refuse NUL characters and unpaired surrogates with 422 naming the field, storing nothing', async () => {
    const title = `Nul ${uid()}`;
    const nul = await api('/api/v1/items', { method: 'POST', body: JSON.stringify({ title: `${title}\u0000` }) });
    expect(nul.status).toBe(422);
    expect(((await nul.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('title');
    const lone = await api('/api/v1/items', { method: 'POST', body: `{"title":"${title} \\ud800"}` });
    expect(lone.status).toBe(422);
    const query = await api(`/api/v1/items?q=${encodeURIComponent(title)}%00`);
    expect(query.status).toBe(422);
    const rows = await sql`select count(*)::int as n from items where title like ${`${title}%`}`;
    expect(rows[0]?.n).toBe(0);
  });

  it('Should not create the item when its audit row cannot be written', async () => {
    const title = `Never created ${uid()}`;
    const requestId = `wd-fail-${uid()}`;
    const { result: response, logs } = await withFailingAudit(requestId, () =>
      api('/api/v1/items', { method: 'POST', body: JSON.stringify({ title }), requestId }),
    );
    expect(logs.some((line) => line.includes('"level":"error"') && line.includes('audit store refused'))).toBe(true);
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: response.status, requestId });
    expect(await sql`select id from items where title = ${title}`).toEqual([]);
    expect(await auditRows(requestId)).toEqual([]);
  });

  it('Should not change the item when the audit row of the update cannot be written', async () => {
    const { item } = await createItem({ title: `Unchanged ${uid()}` });
    const requestId = `wd-fail-${uid()}`;
    const { result: response, logs } = await withFailingAudit(requestId, () =>
      api(`/api/v1/items/${item.id}`, {
        method: 'PATCH',
        headers: { 'if-match': '"1"' },
        body: JSON.stringify({ title: 'Should not stick' }),
        requestId,
      }),
    );
    expect(logs.some((line) => line.includes('"level":"error"') && line.includes('audit store refused'))).toBe(true);
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: response.status, requestId });

    const [row] = await sql`select title, version from items where id = ${item.id}`;
    expect(row).toEqual({ title: item.title, version: 1 });
    expect(await auditRows(requestId)).toEqual([]);
  });
});
