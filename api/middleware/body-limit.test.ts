import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { backend, useTestApp } from '../../test/support/harness.ts';

describe.skipIf(backend.skip)(`body limits [${backend.label}]`, () => {
  const config = parseConfig({
    APP_ENV: 'test',
    ACCESS_LOG: 'false',
    LOG_LEVEL: 'silent',
    MAX_BODY_BYTES: '2048',
    IMPORT_MAX_BYTES: '8192',
  });
  const t = useTestApp({ config });
  const bytes = (n: number) => `title\n${'x'.repeat(n - 6)}`;

  it('Should let an import through up to IMPORT_MAX_BYTES while other routes keep MAX_BODY_BYTES', async () => {
    const accepted = await t.request('/api/v1/items/import', {
      method: 'POST',
      body: bytes(6000),
      headers: { 'content-type': 'text/csv' },
    });
    expect(accepted.status).toBe(202);
    // Nothing here drains the queue; leave no job behind for other files' dispatchers.
    await t.request(`/api/v1/jobs/${(await accepted.json()).id}/cancel`, { method: 'POST' });

    const tooBig = await t.request('/api/v1/items/import/', {
      method: 'POST',
      body: bytes(9000),
      headers: { 'content-type': 'text/csv' },
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 'payload_too_large', maxBytes: 8192 });

    const item = await t.request('/api/v1/items', { method: 'POST', json: { title: 'x'.repeat(3000) } });
    expect(item.status).toBe(413);
    expect((await item.json()).maxBytes).toBe(2048);
    // The unread rest of the body leaves the connection unusable: keep-alive clients must not reuse it.
    expect(item.headers.get('connection')).toBe('close');
  });

  it('Should check a declared Content-Length before reading the body', async () => {
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'content-length': '999999' },
    });
    expect(res.status).toBe(413);
  });

  it('Should refuse a gzip body with 415 and Accept-Encoding: identity, and create nothing', async () => {
    const title = `gzipped ${crypto.randomUUID()}`;
    const gzipped = await new Response(
      new Blob([JSON.stringify({ title })]).stream().pipeThrough(new CompressionStream('gzip')),
    ).arrayBuffer();
    for (const path of ['/api/v1/items', '/api/v1/items/import']) {
      const res = await t.request(path, {
        method: 'POST',
        body: gzipped,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      expect(res.status, path).toBe(415);
      expect(res.headers.get('accept-encoding')).toBe('identity');
      expect((await res.json()).detail).toBe(
        'The request body is in the content coding "gzip": send it unencoded (identity).',
      );
    }
    const list = await (await t.request(`/api/v1/items?q=${encodeURIComponent(title)}`)).json();
    expect(list.data).toHaveLength(0);
    const identity = await t.request('/api/v1/items', {
      method: 'POST',
      body: JSON.stringify({ title }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
    });
    expect(identity.status).toBe(201);
  });
});
