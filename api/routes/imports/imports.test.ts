import { arrayContains, asc, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLogs, items, jobs, users } from '../../../db/schema.ts';
import { createDispatcher } from '../../../jobs/dispatcher.ts';
import { backend, type Identity, unique, useTestApp } from '../../../test/support/harness.ts';

const HEADER = 'title,description,status,priority,tags,ownerId,dueAt';

describe.skipIf(backend.skip)(`items import [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true });

  const upload = (body: string, contentType = 'text/csv', headers: Record<string, string> = {}, as?: Identity) =>
    t.request('/api/v1/items/import', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, ...headers },
      as,
    });
  const drain = () =>
    createDispatcher(t.deps, { concurrency: 2, pollIntervalMs: 50, leaseMs: 30_000, schedule: false }).drain();
  /** Uploads a file, runs the job and returns it as the jobs API shows it. */
  const runImport = async (body: string, contentType = 'text/csv', headers: Record<string, string> = {}) => {
    const res = await upload(body, contentType, headers);
    expect(res.status, await res.clone().text()).toBe(202);
    const accepted = await res.json();
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${accepted.id}`);
    await drain();
    return (await t.request(`/api/v1/jobs/${accepted.id}`)).json();
  };
  const tagged = (tag: string) =>
    t.handle.db
      .select()
      .from(items)
      .where(arrayContains(items.tags, [tag]))
      .orderBy(asc(items.title));

  it('Should insert the valid rows of a CSV with their audit rows and report the bad row by line and field', async () => {
    const tag = unique('csv');
    const requestId = unique('req');
    const csv = [
      HEADER,
      `First,,done,high,${tag};red,,2031-01-02T03:04:05Z`,
      `Second,a description,,,${tag}|blue,,`,
      `Third,,finished,,${tag},,`,
      `,,,,${tag},,`,
      `Fifth,,,urgent,${tag},,`,
    ].join('\n');
    const job = await runImport(csv, 'text/csv', { 'x-request-id': requestId });
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ total: 5, inserted: 3, rejectedCount: 2, checkpoint: 5 });
    expect(job.result.rejected).toEqual([
      {
        line: 4,
        errors: [
          { field: 'status', message: 'must be one of pending, in_progress, done, archived', value: 'finished' },
        ],
      },
      { line: 5, errors: [{ field: 'title', message: 'must not be empty', value: '' }] },
    ]);
    const rows = await tagged(tag);
    expect(rows.map((r) => [r.title, r.status, r.priority, r.tags, r.description])).toEqual([
      ['Fifth', 'pending', 'urgent', [tag], null],
      ['First', 'done', 'high', [tag, 'red'], null],
      ['Second', 'pending', 'medium', [tag, 'blue'], 'a description'],
    ]);
    expect(rows[1]?.dueAt?.toISOString()).toBe('2031-01-02T03:04:05.000Z');
    const audits = await t.handle.db
      .select()
      .from(auditLogs)
      .where(
        inArray(
          auditLogs.entityId,
          rows.map((r) => r.id),
        ),
      );
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => a.action === 'item.created' && a.requestId === requestId)).toBe(true);
    expect(audits.find((a) => a.entityId === rows[1]?.id)?.after).toMatchObject({ title: 'First', status: 'done' });
  });

  it('Should queue an item.created delivery per imported item for each subscriber', async () => {
    const tag = unique('hooked');
    const hook = await (
      await t.request('/api/v1/webhooks', {
        method: 'POST',
        // Nothing listens there: deliveries fail and retry later; this test only counts them.
        json: { url: 'http://127.0.0.1:9/import', events: ['item.created'] },
      })
    ).json();
    const job = await runImport(`${HEADER}\nfirst,,,,${tag},,\nsecond,,,,${tag},,\n,,,,${tag},,\n`);
    expect(job.result).toMatchObject({ inserted: 2, rejectedCount: 1 });
    const deliveries = await t.handle.db
      .select()
      .from(jobs)
      .where(sql`${jobs.type} = 'send-notification' and ${jobs.payload}->>'webhookId' = ${hook.id}`);
    const titles = deliveries.map((d) => (d.payload as { data: { title: string } }).data.title).sort();
    expect(titles).toEqual(['first', 'second']);
    await t.request(`/api/v1/webhooks/${hook.id}`, { method: 'DELETE' });
  });

  it('Should import a JSON array, rejecting elements by position with the item schema', async () => {
    const tag = unique('json');
    const body = JSON.stringify([
      { title: 'Alpha', tags: [tag], priority: 'low' },
      { title: 'Beta', tags: [tag], colour: 'red' },
      { title: 'Gamma', tags: [tag], dueAt: '2031-05-06T07:08:09+02:00' },
    ]);
    const job = await runImport(body, 'application/json; charset=utf-8');
    expect(job.result).toMatchObject({ total: 3, inserted: 2, rejectedCount: 1 });
    expect(job.result.rejected.map((r: { line: number }) => r.line)).toEqual([2]);
    expect(job.result.rejected[0].errors).toEqual([{ field: 'colour', message: 'Unknown field', value: 'red' }]);
    const rows = await tagged(tag);
    expect(rows.map((r) => [r.title, r.priority])).toEqual([
      ['Alpha', 'low'],
      ['Gamma', 'medium'],
    ]);
    expect(rows[1]?.dueAt?.toISOString()).toBe('2031-05-06T05:08:09.000Z');
  });

  it('Should keep quoted commas, escaped quotes and line breaks, and number lines after a multi-line field', async () => {
    const tag = unique('quoted');
    const csv = [
      'Title,Tags,Description',
      `"Comma, inside",${tag},"He said ""hi"""`,
      `"Two`,
      `lines",${tag},"a\r\nb"`,
      `Bad,${tag},x,extra`,
    ].join('\r\n');
    const job = await runImport(csv);
    expect(job.result.rejected).toEqual([
      { line: 6, errors: [{ field: '(row)', message: 'has 4 fields; the header has 3' }] },
    ]);
    const rows = await tagged(tag);
    expect(rows.map((r) => [r.title, r.description])).toEqual([
      ['Comma, inside', 'He said "hi"'],
      ['Two\r\nlines', 'a\r\nb'],
    ]);
  });

  it('Should reject rows naming an unknown owner and keep those naming a real one', async () => {
    const tag = unique('owner');
    const [owner] = await t.handle.db
      .insert(users)
      .values({ email: `${unique('owner')}@example.test`, name: 'Owner' })
      .returning();
    const ghost = crypto.randomUUID();
    const csv = [
      'title,tags,owner_id',
      `Owned,${tag},${owner?.id}`,
      `Haunted,${tag},${ghost}`,
      `Nobody,${tag},`,
      `Typo,${tag},not-a-uuid`,
    ].join('\n');
    const job = await runImport(csv);
    expect(job.result.rejected).toEqual([
      { line: 3, errors: [{ field: 'ownerId', message: 'no user with this id', value: ghost }] },
      { line: 5, errors: [{ field: 'ownerId', message: 'must be a user id (a UUID)', value: 'not-a-uuid' }] },
    ]);
    const rows = await tagged(tag);
    // A row naming nobody belongs to the user who imported it, as a created item does.
    const importer = (await (await t.request('/api/v1/auth/me')).json()) as { id: string };
    expect(rows.map((r) => [r.title, r.ownerId])).toEqual([
      ['Nobody', importer.id],
      ['Owned', owner?.id],
    ]);
  });

  it('Should leave rows of an import sent with an API key, or with an explicit null owner, unowned', async () => {
    const tag = unique('unowned');
    const res = await upload(`title,tags\nBy key,${tag}\n`, 'text/csv', {}, 'editor-key');
    expect(res.status).toBe(202);
    await drain();
    const json = JSON.stringify([{ title: 'Null owner', tags: [tag], ownerId: null }]);
    await runImport(json, 'application/json');
    expect((await tagged(tag)).map((r) => [r.title, r.ownerId])).toEqual([
      ['By key', null],
      ['Null owner', null],
    ]);
  });

  it('Should succeed with nothing to do for a header-only CSV and an empty JSON array', async () => {
    for (const [body, type] of [
      [`${HEADER}\r\n`, 'text/csv'],
      ['[]', 'application/json'],
    ] as const) {
      const job = await runImport(body, type);
      expect(job).toMatchObject({ status: 'succeeded', result: { total: 0, inserted: 0, rejectedCount: 0 } });
    }
  });

  it.each([
    ['an empty CSV', '', 'text/csv', '(file)'],
    ['an unknown column', 'title,colour\nx,red', 'text/csv', 'header'],
    ['no title column', 'status\ndone', 'text/csv', 'header'],
    ['an unclosed quote', 'title\nok\n"never closed', 'text/csv', 'line 3'],
    ['malformed JSON', '[{"title": ', 'application/json', '(file)'],
    ['a JSON object', '{"title": "x"}', 'application/json', '(file)'],
  ])('Should refuse %s with 422 and start no job', async (_case, body, type, field) => {
    const res = await upload(body, type);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).errors[0]).toMatchObject({ field, in: 'body' });
  });

  it('Should answer 415 for another content type or charset', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv; charset=latin1']) {
      const res = await upload('title\nx', type);
      expect(res.status, type).toBe(415);
      expect((await res.json()).code).toBe('unsupported_media_type');
    }
  });

  it('Should replay an Idempotency-Key with the same file and refuse it for another', async () => {
    const key = unique('idem');
    const body = `title,tags\nOnce,${unique('idem')}`;
    const first = await upload(body, 'text/csv', { 'idempotency-key': key });
    const again = await upload(body, 'text/csv', { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await again.json()).id).toBe((await first.json()).id);
    expect((await upload(`${body}2`, 'text/csv', { 'idempotency-key': key })).status).toBe(409);
    await drain();
  });

  it('Should show the format and size of the file instead of its content', async () => {
    const body = `title\n${'é'.repeat(10)}`;
    const job = await (await upload(body)).json();
    expect(job.payload).toEqual({ format: 'csv', bytes: new TextEncoder().encode(body).byteLength });
    await drain();
  });

  it('Should not be enqueued through POST /api/v1/jobs', async () => {
    const res = await t.request('/api/v1/jobs', {
      method: 'POST',
      json: { type: 'process-data', payload: { format: 'csv', content: 'title\nx' } },
    });
    expect(res.status).toBe(422);
  });

  it('Should refuse a JSON file that is not an array of objects with 422 at the door, and start no job', async () => {
    const importJobs = async () => (await t.handle.db.select().from(jobs).where(eq(jobs.type, 'process-data'))).length;
    const before = await importJobs();
    const depth = 5_000;
    const cases: Array<[string, string]> = [
      [JSON.stringify([{ title: 'fine' }, 'not an item']), 'item 2'],
      [JSON.stringify([{ title: 'fine' }, null]), 'item 2'],
      [`${'['.repeat(depth)}${']'.repeat(depth)}`, 'item 1'],
      [JSON.stringify({ title: 'an object, not an array' }), '(file)'],
    ];
    for (const [body, field] of cases) {
      const res = await upload(body, 'application/json');
      expect(res.status, body.slice(0, 40)).toBe(422);
      expect((await res.json()).errors[0]).toMatchObject({ field, in: 'body' });
    }
    expect(await importJobs()).toBe(before);
  });

  it('Should refuse an upload over IMPORT_MAX_BYTES with 413, and start no job', async () => {
    const importJobs = async () => (await t.handle.db.select().from(jobs).where(eq(jobs.type, 'process-data'))).length;
    const before = await importJobs();
    const big = `title\n${'never\n'.repeat(Math.ceil(t.deps.config.jobs.importMaxBytes / 6) + 1)}`;
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload_too_large', maxBytes: t.deps.config.jobs.importMaxBytes });
    expect(await importJobs()).toBe(before);
  });
});
